import { FirestoreOutbox } from '@orderflow/outbox';
import { createFirestore } from '@orderflow/platform';
import { outboxReport, type OutboxReport } from '../shared/outbox.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = `usage:
  npm run -s outbox -- status [--stuck-after <seconds>] [--json]
  npm run -s outbox -- requeue (<eventId> | --all)`;
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      'stuck-after': { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    },
  },
  usage,
);
const [command, eventId, ...extra] = positionals;
const stuckAfterMs = Number(values['stuck-after']) * 1000;
const status = command === 'status' && eventId === undefined && stuckAfterMs >= 0;
const requeue =
  command === 'requeue' && extra.length === 0 && values.all === (eventId === undefined);
if (!status && !requeue) fail(usage, 2);

const firestore = createFirestore(target());
try {
  if (status) {
    const report = await outboxReport(firestore, { stuckAfterMs });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : statusText(report));
    // Stuck or set-aside entries need an operator: say so to scripts too.
    if (report.stuck.length > 0 || report.setAside > 0) process.exitCode = 1;
  } else {
    const requeued = await new FirestoreOutbox(firestore).requeue(
      eventId === undefined ? 'all' : [eventId],
    );
    process.stdout.write(
      `requeued ${requeued.length}: the relay's next pass publishes ${requeued.length === 1 ? 'it' : 'them'}\n`,
    );
    // An id that was not set aside is most likely a typo: tell scripts.
    if (eventId !== undefined && requeued.length === 0) {
      process.stderr.write(`no entry ${eventId} is set aside\n`);
      process.exitCode = 1;
    }
  }
} finally {
  await firestore.terminate();
}

function statusText({ pending, published, stuck, setAside, latestSetAside }: OutboxReport): string {
  const lines = [
    `pending ${pending}, published (kept for retention) ${published}, set aside ${setAside}`,
  ];
  for (const e of stuck) {
    const why = e.lastError ? `  last error: ${e.lastError}` : '';
    lines.push(
      `STUCK      event ${e.eventId}  order ${e.orderId}  unpublished for ${e.ageSeconds}s${why}`,
    );
  }
  for (const e of latestSetAside) {
    lines.push(
      `SET ASIDE  event ${e.eventId}  order ${e.orderId}  at ${e.setAsideAt.toISOString()}  ${e.reason}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
