import * as z from 'zod';
import { gcpConfig, loadConfig, port } from '@orderflow/platform';
import { formatTable } from '../bench/table.js';
import { runQuery, type AnalyticsTarget } from '../shared/analytics-query.js';
import type { JsonValue } from '../shared/analytics-rows.js';
import { fail, parseCli } from './args.js';

const usage = 'usage: npm run -s analytics -- query "<SQL>" [--json]';
const { positionals, values } = parseCli(
  { allowPositionals: true, options: { json: { type: 'boolean', default: false } } },
  usage,
);
const [command, sql, ...rest] = positionals;
if (command !== 'query' || !sql || rest.length > 0) fail(usage, 2);

const config = loadConfig(
  gcpConfig.extend({
    GOOGLE_CLOUD_PROJECT: gcpConfig.shape.GOOGLE_CLOUD_PROJECT.default('demo-local'),
    ANALYTICS_PORT: port(8027),
    ANALYTICS_DATASET: z.string().min(1).default('orderflow_analytics'),
  }),
);
// A `demo-` project (the emulators' convention) means the local system, as for every command.
const target: AnalyticsTarget = config.GOOGLE_CLOUD_PROJECT.startsWith('demo-')
  ? { kind: 'local', url: `http://127.0.0.1:${config.ANALYTICS_PORT}` }
  : {
      kind: 'bigquery',
      projectId: config.GOOGLE_CLOUD_PROJECT,
      datasetId: config.ANALYTICS_DATASET,
    };

const rows = await runQuery(target, sql).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
if (values.json) {
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
} else {
  const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: JsonValue | undefined) =>
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  process.stdout.write(
    `${formatTable(
      header,
      rows.map((row) => header.map((h) => cell(row[h]))),
    )}\n`,
  );
  process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
}
