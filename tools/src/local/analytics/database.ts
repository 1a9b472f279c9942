import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBValueConverter,
  type Json,
} from '@duckdb/node-api';
import {
  analyticsTables,
  deadLetterTable,
  duckDbDialect,
  metadataColumns,
  viewsOf,
  type AnalyticsTable,
  type Column,
} from '@orderflow/analytics';
import type { Topology } from '@orderflow/topology';
import { integer, isoTimestamp, type Row } from '../../shared/analytics-rows.js';

/** A message as a BigQuery subscription receives it. */
export interface AnalyticsMessage {
  subscription: string;
  messageId: string;
  publishTime: Date;
  attributes: Record<string, string>;
  data: string;
}

const duckDbTypes = { STRING: 'VARCHAR', INT64: 'BIGINT', FLOAT64: 'DOUBLE', BOOL: 'BOOLEAN' };
const metadataTypes = { STRING: 'VARCHAR', TIMESTAMP: 'TIMESTAMP', JSON: 'JSON' };

const typeOf = (column: Column): string => {
  const type =
    column.type === 'RECORD'
      ? `STRUCT(${column.fields.map((f) => `"${f.name}" ${typeOf(f)}`).join(', ')})`
      : duckDbTypes[column.type];
  return column.repeated ? `${type}[]` : type;
};

/** The shape `json_transform` casts a message's data to: the table's columns, nothing else. */
type Structure = string | Structure[] | { [name: string]: Structure };
const structureOf = (columns: Column[]): Structure =>
  Object.fromEntries(
    columns.map((c) => {
      const one = c.type === 'RECORD' ? structureOf(c.fields) : duckDbTypes[c.type];
      return [c.name, c.repeated ? [one] : one];
    }),
  );

/**
 * The local stand-in for the BigQuery dataset: an embedded DuckDB file with the same event
 * tables and the same views (libs/analytics), written as a BigQuery subscription with the
 * table's schema, `writeMetadata` and `dropUnknownFields` writes: each field of the message's
 * JSON data to the column of that name, fields without a column dropped, a value of the wrong
 * type refused (the message is then retried and, at last, dead-lettered).
 */
export class AnalyticsDatabase {
  /** One statement at a time: a DuckDB connection runs one, and the feed writes while analysts read. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly tables: AnalyticsTable[],
  ) {}

  static async open(file: string, topology: Topology): Promise<AnalyticsDatabase> {
    if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    const database = new AnalyticsDatabase(instance, connection, analyticsTables(topology));
    await database.createSchema();
    return database;
  }

  private async createSchema(): Promise<void> {
    const metadata = metadataColumns.map((c) => `${c.name} ${metadataTypes[c.type]}`);
    const statements = [
      // BigQuery's UNIX_SECONDS, so that the same SQL runs on both (see docs/analytics.md).
      'CREATE OR REPLACE MACRO unix_seconds(ts) AS CAST(epoch(ts) AS BIGINT)',
      `CREATE TABLE IF NOT EXISTS ${deadLetterTable.name} (${[...metadata, `${deadLetterTable.dataColumn} VARCHAR`].join(', ')})`,
      ...this.tables.flatMap((table) => [
        `CREATE TABLE IF NOT EXISTS ${table.eventTable} (${[
          ...metadata,
          ...table.columns.map((c) => `"${c.name}" ${typeOf(c)}`),
        ].join(', ')})`,
        ...viewsOf(table, duckDbDialect).map((v) => `CREATE OR REPLACE VIEW ${v.name} AS ${v.sql}`),
      ]),
    ];
    for (const statement of statements) await this.connection.run(statement);
  }

  /** Writes a message of `topic` to its event table; throws what BigQuery would refuse. */
  async write(topic: string, message: AnalyticsMessage): Promise<void> {
    const table = this.tables.find((t) => t.topic === topic);
    if (!table) throw new Error(`no analytics table is fed from ${topic}`);
    await this.serially(
      `INSERT INTO ${table.eventTable} BY NAME
       SELECT unnest(json_transform_strict(CAST($data AS JSON), $structure)),
         $subscription AS subscription_name, $messageId AS message_id,
         CAST($publishTime AS TIMESTAMP) AS publish_time, CAST($attributes AS JSON) AS attributes`,
      {
        ...this.metadata(message),
        data: message.data,
        structure: JSON.stringify(structureOf(table.columns)),
      },
    );
  }

  /** What a subscription could not write, as it was. */
  async writeDeadLetter(message: AnalyticsMessage): Promise<void> {
    await this.serially(
      `INSERT INTO ${deadLetterTable.name} BY NAME
       SELECT $subscription AS subscription_name, $messageId AS message_id,
         CAST($publishTime AS TIMESTAMP) AS publish_time, CAST($attributes AS JSON) AS attributes,
         $data AS ${deadLetterTable.dataColumn}`,
      { ...this.metadata(message), data: message.data },
    );
  }

  private metadata(message: AnalyticsMessage) {
    return {
      subscription: message.subscription,
      messageId: message.messageId,
      publishTime: message.publishTime.toISOString(),
      attributes: JSON.stringify(message.attributes),
    };
  }

  /** Runs analysts' SQL; the rows as JSON. */
  query(sql: string): Promise<Row[]> {
    return this.enqueue(async () => {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.convertRowObjects(asJson);
    });
  }

  private serially(sql: string, values: Record<string, string>): Promise<void> {
    return this.enqueue(async () => {
      await this.connection.run(sql, values);
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => undefined);
    return done;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const asJson: DuckDBValueConverter<Json> = (value, type, converter) => {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
      return integer(value as bigint);
    case DuckDBTypeId.TIMESTAMP:
      return value instanceof DuckDBTimestampValue ? isoTimestamp(value.micros) : String(value);
    default:
      return JsonDuckDBValueConverter(value, type, converter);
  }
};
