import { FirestoreSegmentStore } from '@orderflow/segmentation/adapters/firestore-segment-store';
import { exportSegments } from '@orderflow/segmentation/export';
import { createFirestore } from '@orderflow/platform';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = 'usage: npm run -s segments -- export [--format ndjson|csv]';
const { positionals, values } = parseCli(
  { allowPositionals: true, options: { format: { type: 'string', default: 'ndjson' } } },
  usage,
);
const { format } = values;
if (positionals[0] !== 'export' || positionals.length > 1) fail(usage, 2);
if (format !== 'ndjson' && format !== 'csv') fail(`unknown format ${format}\n${usage}`, 2);

const firestore = createFirestore(target());
try {
  const segments = new FirestoreSegmentStore(firestore).list();
  for await (const line of exportSegments(segments, format)) process.stdout.write(`${line}\n`);
} finally {
  await firestore.terminate();
}
