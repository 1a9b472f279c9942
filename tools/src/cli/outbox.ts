import { FirestoreOutbox } from '@orderflow/order/adapters/firestore-outbox';
import { createFirestore } from '@orderflow/platform';
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
  const status = await new FirestoreOutbox(firestore).status(20);
  const now = Date.now();
  const stuck = status.oldestPending
    .filter((e) => now - e.createdAt.getTime() > stuckAfterMs)
    .map((e) => ({ ...e, ageSeconds: Math.round((now - e.createdAt.getTime()) / 1000) }));
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ pending: status.pending, published: status.published, stuck }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `pending ${status.pending}, published (kept for retention) ${status.published}\n`,
    );
    for (const e of stuck) {
      process.stdout.write(
        `STUCK  event ${e.eventId}  order ${e.orderId}  unpublished for ${e.ageSeconds}s\n`,
      );
    }
  }
  // Stuck entries mean the relay is not keeping up: say so to scripts too.
  if (stuck.length > 0) process.exitCode = 1;
} finally {
  await firestore.terminate();
}
