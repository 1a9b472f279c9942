import type * as z from 'zod';
import { eventSchemas } from '@orderflow/events';
import type { AnalyticsTableSpec, Topology } from '@orderflow/topology';
import { columnsOf, type Column } from './columns.js';

/**
 * The columns a BigQuery subscription with `writeMetadata` adds to each row: the subscription,
 * the message id, when it was published, and every attribute (the CloudEvents `ce-*`) as JSON.
 */
export const metadataColumns = [
  { name: 'subscription_name', type: 'STRING' },
  { name: 'message_id', type: 'STRING' },
  { name: 'publish_time', type: 'TIMESTAMP' },
  { name: 'attributes', type: 'JSON' },
] as const;

/** Where what a subscription cannot write goes: the message as it was, with its metadata. */
export const deadLetterTable = { name: 'dead_letters', dataColumn: 'data' } as const;

export interface AnalyticsTable extends AnalyticsTableSpec {
  /** The table the subscription writes: one row per message, the event's fields as sent. */
  eventTable: string;
  subscription: string;
  deadLetterTopic: string;
  /** The event's data columns, named as its JSON fields; `omit` left out. */
  columns: Column[];
}

/** `order-placed.v1` → `order_placed_v1`. */
const tableName = (topic: string) => topic.replace(/[.-]/g, '_');

export function analyticsTables(topology: Topology): AnalyticsTable[] {
  return topology.analytics.map((spec) => {
    const topic = topology.topics.find((t) => t.name === spec.topic);
    if (!topic) throw new Error(`analytics table ${spec.table}: no topic ${spec.topic}`);
    const schema = (eventSchemas as Record<string, z.ZodType | undefined>)[topic.eventType];
    if (!schema) throw new Error(`analytics table ${spec.table}: no schema for ${topic.eventType}`);
    return {
      ...spec,
      eventTable: tableName(spec.topic),
      subscription: `${spec.topic}.analytics`,
      deadLetterTopic: `${spec.topic}.analytics.dead-letter`,
      columns: columnsOf(schema, spec.omit),
    };
  });
}
