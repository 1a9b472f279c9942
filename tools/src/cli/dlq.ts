import { createFirestore, createPubSub } from '@orderflow/platform';
import { topology } from '@orderflow/topology';
import {
  DeadLetters,
  replayOutcomeText,
  wentBack,
  type DeadLetter,
} from '../shared/dead-letters.js';
import { redrive } from '../shared/redrive.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = `usage:
  npm run -s dlq -- list [--subscriber <name>] [--json]
  npm run -s dlq -- replay --subscriber <name> (--event <id> | --all) [--dry-run] [--json]
  npm run -s dlq -- redrive [--subscriber <name>] [--older-than <seconds>] [--json]`;

const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      subscriber: { type: 'string' },
      event: { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'older-than': { type: 'string', default: '300' },
    },
  },
  usage,
);
const [command] = positionals;
const { subscriber } = values;
if (subscriber !== undefined && !topology.subscribers.some((s) => s.name === subscriber)) {
  const known = topology.subscribers.map((s) => s.name).join(', ');
  fail(`unknown subscriber ${subscriber}; the subscribers are ${known}`, 2);
}

const config = target();
const pubsub = createPubSub(config);
const firestore = createFirestore(config);
const deadLetters = new DeadLetters(pubsub, firestore);
try {
  if (command === 'list' && positionals.length === 1) {
    const letters = await deadLetters.list(subscriber);
    process.stdout.write(values.json ? `${JSON.stringify(letters, null, 2)}\n` : table(letters));
  } else if (command === 'replay' && subscriber && values.all !== Boolean(values.event)) {
    const chosen = (letter: DeadLetter) => values.all || letter.eventId === values.event;
    if (values['dry-run']) {
      const letters = (await deadLetters.list(subscriber)).filter(chosen);
      process.stdout.write(`would replay ${letters.length} to ${subscriber}\n${table(letters)}`);
      if (values.event && letters.length === 0) process.exitCode = 1;
    } else {
      const results = await deadLetters.replay(subscriber, chosen);
      const replayed = results.filter(wentBack);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      } else {
        process.stdout.write(
          `replayed ${replayed.length} to ${subscriber}\n${table(replayed.map((r) => r.letter))}`,
        );
        for (const { letter, outcome } of results.filter((r) => !replayed.includes(r))) {
          process.stdout.write(`not replayed: ${letter.key}: ${replayOutcomeText[outcome]}\n`);
        }
      }
      if (values.event && replayed.length === 0) process.exitCode = 1;
    }
  } else if (command === 'redrive' && positionals.length === 1) {
    const olderThan = Number(values['older-than']);
    if (!Number.isInteger(olderThan) || olderThan < 0) fail('--older-than takes whole seconds', 2);
    const report = await redrive({ firestore, pubsub, subscriber, olderThanMs: olderThan * 1000 });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : `re-drove ${report.unrecorded} never received and ${report.stalled} unfinished; ` +
            `${report.lost} unfinished without their event (see the log above)\n`,
    );
  } else {
    fail(usage, 2);
  }
} finally {
  await Promise.all([pubsub.close(), firestore.terminate()]);
}

function table(letters: DeadLetter[]): string {
  if (letters.length === 0) return 'no dead letters\n';
  const rows = letters.map((l) => [
    l.subscriber,
    l.eventId ?? `(${l.key})`,
    l.part ?? '-',
    l.orderId ?? '-',
    l.type ?? '-',
    String(l.attempts ?? '-'),
    l.deadLetteredAt,
    l.reason,
  ]);
  const header = [
    'SUBSCRIBER',
    'EVENT',
    'PART',
    'ORDER',
    'TYPE',
    'ATTEMPTS',
    'DEAD-LETTERED AT',
    'REASON',
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
