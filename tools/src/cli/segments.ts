import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FirestoreSegmentStore } from '@orderflow/segmentation/adapters/firestore-segment-store';
import { exportSegments } from '@orderflow/segmentation/export';
import { createFirestore } from '@orderflow/platform';
import { formatTable } from '../bench/table.js';
import { distributionChart, distributionOf } from '../shared/segment-report.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage =
  'usage: npm run -s segments -- export [--format ndjson|csv]\n' +
  '       npm run -s segments -- report [--out .local/segments.svg]';
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'ndjson' },
      out: { type: 'string', default: '.local/segments.svg' },
    },
  },
  usage,
);
const [command, ...rest] = positionals;
const { format, out } = values;
if ((command !== 'export' && command !== 'report') || rest.length > 0) fail(usage, 2);
if (format !== 'ndjson' && format !== 'csv') fail(`unknown format ${format}\n${usage}`, 2);

const firestore = createFirestore(target());
try {
  const segments = new FirestoreSegmentStore(firestore).list();
  if (command === 'export') {
    for await (const line of exportSegments(segments, format)) process.stdout.write(`${line}\n`);
  } else {
    const distribution = await distributionOf(segments);
    const rows = distribution.map((d) => [d.segment, String(d.customers)]);
    process.stdout.write(`${formatTable(['segment', 'customers'], rows)}\n`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await distributionChart(distribution));
    process.stdout.write(`chart: ${out}\n`);
  }
} finally {
  await firestore.terminate();
}
