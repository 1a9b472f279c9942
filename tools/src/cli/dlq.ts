import { createPubSub, createFirestore } from '@orderflow/platform';
import { FirestoreDeliveryLedger } from '@orderflow/subscriber';
import { planSubscriptions, topology } from '@orderflow/topology';
import { DeadLetters, type DeadLetter } from '../shared/dead-letters.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = `usage:
  npm run -s dlq -- list [--subscriber <name>] [--json]
  npm run -s dlq -- replay --subscriber <name> (--event <id> | --all) [--dry-run]`;

const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      subscriber: { type: 'string' },
      event: { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  },
  usage,
);
const [command] = positionals;
const plans = planSubscriptions(topology).filter(
  (p) => values.subscriber === undefined || p.subscriber === values.subscriber,
);
if (plans.length === 0) {
  const known = topology.subscribers.map((s) => s.name).join(', ');
  fail(`unknown subscriber ${values.subscriber ?? ''}; the subscribers are ${known}`, 2);
}

const config = target();
const pubsub = createPubSub(config);
const firestore = createFirestore(config);
const deadLetters = new DeadLetters(
  pubsub,
  config.GOOGLE_CLOUD_PROJECT,
  new FirestoreDeliveryLedger(firestore),
);
try {
  if (command === 'list' && positionals.length === 1) {
    const letters = (await Promise.all(plans.map((p) => deadLetters.list(p)))).flat();
    process.stdout.write(values.json ? `${JSON.stringify(letters, null, 2)}\n` : table(letters));
  } else if (command === 'replay' && values.subscriber && values.all !== Boolean(values.event)) {
    const [plan] = plans as [(typeof plans)[number]];
    const chosen = await deadLetters.replay(
      plan,
      (letter) => values.all || letter.eventId === values.event,
      { dryRun: values['dry-run'] },
    );
    const verb = values['dry-run'] ? 'would replay' : 'replayed';
    process.stdout.write(`${verb} ${chosen.length} to ${plan.subscriber}\n${table(chosen)}`);
    if (values.event && chosen.length === 0) process.exitCode = 1;
  } else {
    fail(usage, 2);
  }
} finally {
  await Promise.all([deadLetters.close(), pubsub.close(), firestore.terminate()]);
}

function table(letters: DeadLetter[]): string {
  if (letters.length === 0) return 'no dead letters\n';
  const rows = letters.map((l) => [
    l.subscriber,
    l.eventId ?? `(${l.messageKey})`,
    l.orderId ?? '-',
    l.type ?? '-',
    String(l.attempts ?? '-'),
    l.deadLetteredAt,
    l.lastError ?? '-',
  ]);
  const header = [
    'SUBSCRIBER',
    'EVENT',
    'ORDER',
    'TYPE',
    'ATTEMPTS',
    'DEAD-LETTERED AT',
    'LAST ERROR',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
