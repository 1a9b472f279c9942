import { BigQuery } from '@google-cloud/bigquery';
import { integer, type JsonValue, type Row } from './analytics-rows.js';

/** Where `npm run analytics` runs SQL: the local system's database, or BigQuery in a project. */
export type AnalyticsTarget =
  { kind: 'local'; url: string } | { kind: 'bigquery'; projectId: string; datasetId: string };

/** Runs `sql` where the target says; the rows in the one JSON shape of analytics-rows.ts. */
export async function runQuery(target: AnalyticsTarget, sql: string): Promise<Row[]> {
  if (target.kind === 'bigquery') {
    const [rows] = await new BigQuery({ projectId: target.projectId }).query({
      query: sql,
      // Tables named without a dataset (`orders`) are the analytics dataset's, as locally.
      defaultDataset: { projectId: target.projectId, datasetId: target.datasetId },
      useLegacySql: false,
    });
    return (rows as Record<string, unknown>[]).map((row) => fromBigQuery(row) as Row);
  }
  const response = await fetch(`${target.url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  }).catch((error: unknown) => {
    throw new Error(
      `the local system does not answer at ${target.url} (npm start): ${String(error)}`,
    );
  });
  const body = (await response.json()) as { rows?: Row[]; error?: string };
  if (!response.ok || !body.rows) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.rows;
}

/**
 * The BigQuery client's values as JSON: its TIMESTAMP, DATE and similar wrappers carry the
 * value as a string (`{ value }`); NUMERIC comes as a Big number.
 */
function fromBigQuery(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return integer(value);
  if (typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) return value.map(fromBigQuery);
  if (value instanceof Buffer) return value.toString('base64');
  const wrapped = (value as { value?: unknown }).value;
  if (typeof wrapped === 'string') return wrapped;
  if (value.constructor.name === 'Big') return Number((value as { toString(): string }).toString());
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromBigQuery(v)]));
}
