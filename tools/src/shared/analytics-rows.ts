/** A query's answer as JSON, the same from DuckDB and from BigQuery. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Row = Record<string, JsonValue>;

/**
 * Integers as numbers where JavaScript holds them exactly (strings beyond), timestamps as ISO
 * 8601 in UTC, dates as `YYYY-MM-DD`: one shape for both databases, so a query's `--json`
 * answer does not depend on where it ran.
 */
export const integer = (value: bigint | number): JsonValue =>
  Number.isSafeInteger(Number(value)) ? Number(value) : String(value);

export const isoTimestamp = (microsSinceEpoch: bigint): string =>
  new Date(Number(microsSinceEpoch / 1000n)).toISOString();
