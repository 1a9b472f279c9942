import { createFirestore } from '@orderflow/platform';
import {
  masterKeyOf,
  rotateSecret,
  SecretAlreadyShown,
  showSecret,
} from '../shared/webhook-secrets.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = `usage: npm run -s webhook-secret -- show <sellerId>
       npm run -s webhook-secret -- rotate <sellerId> [--overlap-hours 24]

show     prints the seller's signing secret (whsec_…), once per version
rotate   issues and prints the next version; the current one is sent beside it for the
         overlap (0: stops at once, for a secret that leaked)`;

const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: { 'overlap-hours': { type: 'string', default: '24' } },
  },
  usage,
);
const [command, sellerId, ...rest] = positionals;
if (!sellerId || rest.length > 0 || (command !== 'show' && command !== 'rotate')) fail(usage, 2);
const overlapHours = Number(values['overlap-hours']);
if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > 24 * 30)
  fail(`--overlap-hours must be 0 to 720\n\n${usage}`, 2);

const config = target();
const firestore = createFirestore(config);
const now = new Date();
const outcome = await masterKeyOf(config)
  .then((masterKey) =>
    command === 'show'
      ? showSecret(firestore, masterKey, sellerId, now)
      : rotateSecret(firestore, masterKey, sellerId, now, overlapHours * 3_600_000),
  )
  .then(
    (issued) => ({ issued }),
    (error: unknown) => ({ error }),
  );
await firestore.terminate();
if ('error' in outcome) {
  const { error } = outcome;
  fail(
    error instanceof Error ? error.message : String(error),
    error instanceof SecretAlreadyShown ? 3 : 1,
  );
}
const { issued } = outcome;

// The secret alone on stdout, for a script to pass on; what it means on stderr.
process.stdout.write(`${issued.secret}\n`);
process.stderr.write(
  `${issued.sellerId}: version ${issued.version}, shown now and not again. ` +
    (issued.previous
      ? `Version ${issued.previous.version} is sent beside it until ${issued.previous.until.toISOString()}.\n`
      : 'It alone signs.\n'),
);
