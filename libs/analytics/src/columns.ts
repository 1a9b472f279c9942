import * as z from 'zod';

/** The column types the event tables use, named as BigQuery names them. */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'RECORD';

/**
 * One column of an event table, named exactly as the event's JSON field: a BigQuery
 * subscription writes each field of a message to the column of that name.
 */
export interface Column {
  name: string;
  type: ColumnType;
  repeated: boolean;
  /** An ISO 8601 string in the event (`z.iso.datetime()`): stored as sent, read as a TIMESTAMP. */
  timestamp: boolean;
  /** A RECORD's fields. */
  fields: Column[];
}

interface JsonSchema {
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const scalarTypes: Record<string, ColumnType> = {
  string: 'STRING',
  integer: 'INT64',
  number: 'FLOAT64',
  boolean: 'BOOL',
};

/**
 * The columns of an event's data, derived from its zod schema (through zod's JSON Schema), so
 * that the schema stays the one source of the event's shape. `omit` names dotted paths left out.
 */
export function columnsOf(schema: z.ZodType, omit: readonly string[] = []): Column[] {
  const root = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return fieldsOf(root, '', new Set(omit));
}

function fieldsOf(schema: JsonSchema, prefix: string, omit: ReadonlySet<string>): Column[] {
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !omit.has(`${prefix}${name}`))
    .map(([name, property]) => columnOf(name, property, `${prefix}${name}.`, omit));
}

function columnOf(name: string, schema: JsonSchema, path: string, omit: ReadonlySet<string>) {
  // `x.nullable()` is `anyOf [x, null]`: every column may hold NULL anyway.
  const nonNull = schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
  const repeated = nonNull.type === 'array';
  const element = repeated ? (nonNull.items ?? {}) : nonNull;
  if (element.type === 'object') {
    return {
      name,
      type: 'RECORD',
      repeated,
      timestamp: false,
      fields: fieldsOf(element, path, omit),
    } satisfies Column;
  }
  const type = element.type && scalarTypes[element.type];
  if (!type) throw new Error(`field ${name}: no column type for ${JSON.stringify(element)}`);
  return {
    name,
    type,
    repeated,
    timestamp: element.format === 'date-time',
    fields: [],
  } satisfies Column;
}

/** `placedAt` → `placed_at`: the analysts' column names. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
