import { snakeCase, type Column } from './columns.js';
import type { AnalyticsTable } from './tables.js';

/**
 * What differs between BigQuery's SQL and DuckDB's in the views; everything else is written
 * once. The views are what analysts query, the same columns in both.
 */
export interface Dialect {
  /** A table of the dataset, as a view must name it. */
  table(name: string): string;
  /** One CloudEvents attribute from the `attributes` JSON column, as a string. */
  attribute(key: string): string;
  timestamp(expression: string): string;
  /** An array of records with its fields renamed, in its order: `[from, to]` pairs. */
  renamedRecords(array: string, fields: readonly (readonly [string, string])[]): string;
  /** A FROM item giving one row per element of `array`, the element named `alias`. */
  unnest(array: string, alias: string): string;
}

export const bigQueryDialect = (project: string, dataset: string): Dialect => ({
  table: (name) => `\`${project}.${dataset}.${name}\``,
  attribute: (key) => `JSON_VALUE(attributes, '$."${key}"')`,
  timestamp: (expression) => `TIMESTAMP(${expression})`,
  renamedRecords: (array, fields) =>
    `ARRAY(SELECT AS STRUCT ${fields.map(([from, to]) => `e.${from} AS ${to}`).join(', ')} ` +
    `FROM UNNEST(${array}) AS e WITH OFFSET AS i ORDER BY i)`,
  unnest: (array, alias) => `UNNEST(${array}) AS ${alias}`,
});

export const duckDbDialect: Dialect = {
  table: (name) => name,
  attribute: (key) => `(attributes ->> '$."${key}"')`,
  // Naive UTC, as the local database runs: DATE() of it is the UTC day, as in BigQuery.
  timestamp: (expression) => `CAST(${expression} AS TIMESTAMP)`,
  renamedRecords: (array, fields) =>
    `list_transform(${array}, e -> {${fields.map(([from, to]) => `'${to}': e.${from}`).join(', ')}})`,
  unnest: (array, alias) => `UNNEST(${array}) AS _${alias}(${alias})`,
};

export interface View {
  name: string;
  sql: string;
}

/**
 * The analysts' views of an event table: snake_case columns, nested records flattened
 * (`customer.id` → `customer_id`), timestamps typed, and each event once: Pub/Sub delivers at
 * least once and the outbox relay may publish an event twice, so rows are deduplicated by the
 * event id (`ce-id`), the first published kept.
 */
export function viewsOf(table: AnalyticsTable, dialect: Dialect): View[] {
  const eventId = dialect.attribute('ce-id');
  const selected = [
    `${eventId} AS event_id`,
    ...table.columns.flatMap((column) => select(column, '', dialect)),
    'publish_time AS published_at',
  ];
  const views = [
    {
      name: table.table,
      sql: [
        `SELECT ${selected.join(', ')}`,
        `FROM ${dialect.table(table.eventTable)}`,
        // BigQuery takes QUALIFY only beside a WHERE, GROUP BY or HAVING.
        'WHERE TRUE',
        `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${eventId} ORDER BY publish_time) = 1`,
      ].join('\n'),
    },
  ];
  if (table.unnest) views.push(elementView(table, table.unnest, dialect));
  return views;
}

function select(column: Column, prefix: string, dialect: Dialect): string[] {
  const path = `${prefix}${column.name}`;
  const name = snakeCase(path.replaceAll('.', '_'));
  if (column.type === 'RECORD' && !column.repeated) {
    return column.fields.flatMap((field) => select(field, `${path}.`, dialect));
  }
  if (column.type === 'RECORD') {
    return [`${dialect.renamedRecords(path, renames(column))} AS ${name}`];
  }
  return [`${column.timestamp ? dialect.timestamp(path) : path} AS ${name}`];
}

function renames(column: Column): [string, string][] {
  return column.fields.map((field) => {
    if (field.type === 'RECORD' || field.repeated || field.timestamp) {
      throw new Error(`${column.name}.${field.name}: only plain fields in repeated records`);
    }
    return [field.name, snakeCase(field.name)];
  });
}

/** One row per element of a repeated record, beside its event's plain columns. */
function elementView(
  table: AnalyticsTable,
  unnest: NonNullable<AnalyticsTable['unnest']>,
  dialect: Dialect,
): View {
  const repeated = table.columns.find((c) => c.name === unnest.field);
  if (!repeated || repeated.type !== 'RECORD' || !repeated.repeated) {
    throw new Error(`${table.table}: ${unnest.field} is not a repeated record`);
  }
  const parent = ['event_id', ...table.columns.flatMap((c) => plainNames(c, ''))];
  const array = snakeCase(unnest.field);
  return {
    name: unnest.table,
    sql: [
      `SELECT ${[
        ...parent.map((c) => `p.${c}`),
        ...renames(repeated).map(([, to]) => `element.${to}`),
      ].join(', ')}`,
      `FROM ${dialect.table(table.table)} AS p, ${dialect.unnest(`p.${array}`, 'element')}`,
    ].join('\n'),
  };
}

/** The view's column names that hold one value, not an array. */
function plainNames(column: Column, prefix: string): string[] {
  const path = `${prefix}${column.name}`;
  if (column.repeated) return [];
  if (column.type === 'RECORD') return column.fields.flatMap((f) => plainNames(f, `${path}_`));
  return [snakeCase(path)];
}
