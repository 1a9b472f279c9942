import { createFirestore } from '@orderflow/platform';
import { outboxReport } from '../shared/outbox.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = 'usage: npm run -s outbox -- status [--stuck-after <seconds>] [--json]';
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      'stuck-after': { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
    },
  },
  usage,
);
const stuckAfterMs = Number(values['stuck-after']) * 1000;
if (positionals[0] !== 'status' || positionals.length > 1 || !(stuckAfterMs >= 0)) fail(usage, 2);

const firestore = createFirestore(target());
try {
  const report = await outboxReport(firestore, { stuckAfterMs });
  const { pending, published, stuck, setAside, latestSetAside } = report;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `pending ${pending}, published (kept for retention) ${published}, set aside ${setAside}\n`,
    );
    for (const e of stuck) {
      process.stdout.write(
        `STUCK      event ${e.eventId}  order ${e.orderId}  unpublished for ${e.ageSeconds}s\n`,
      );
    }
    for (const e of latestSetAside) {
      process.stdout.write(
        `SET ASIDE  event ${e.eventId}  order ${e.orderId}  at ${e.setAsideAt.toISOString()}  ${e.reason}\n`,
      );
    }
  }
  // Stuck or set-aside entries need an operator: say so to scripts too.
  if (stuck.length > 0 || setAside > 0) process.exitCode = 1;
} finally {
  await firestore.terminate();
}
