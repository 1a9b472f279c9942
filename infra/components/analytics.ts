import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import {
  bigQueryDialect,
  deadLetterTable,
  metadataColumns,
  viewsOf,
  type AnalyticsTable,
  type Column,
} from '@orderflow/analytics';
import type { DeliveryPolicy } from '@orderflow/topology';
import { month, week } from './subscriber-route.js';

export interface AnalyticsArgs {
  project: string;
  datasetId: string;
  location: string;
  tables: readonly AnalyticsTable[];
  /** Each topic a table is fed from, by name, as `projects/…/topics/…`. */
  topics: Readonly<Record<string, pulumi.Input<string>>>;
  /** `serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`: it writes the rows. */
  pubsubAgent: pulumi.Input<string>;
  delivery: DeliveryPolicy;
  /** IAM members who read the dataset and run queries. */
  analysts: readonly string[];
  deletionProtection: boolean;
}

/** A BigQuery table schema field, as the BigQuery API takes it. */
interface SchemaField {
  name: string;
  type: string;
  mode: 'NULLABLE' | 'REPEATED';
  fields?: SchemaField[];
}

/**
 * The event's fields under their own JSON names: a BigQuery subscription with `useTableSchema`
 * writes each field of the message to the column of that name. Timestamps stay strings here, as
 * sent; the views type them.
 */
const schemaOf = (column: Column): SchemaField => ({
  name: column.name,
  type: column.type,
  mode: column.repeated ? 'REPEATED' : 'NULLABLE',
  ...(column.type === 'RECORD' ? { fields: column.fields.map(schemaOf) } : {}),
});

const metadataSchema: SchemaField[] = metadataColumns.map((c) => ({
  name: c.name,
  type: c.type,
  mode: 'NULLABLE',
}));

/**
 * The analysts' dataset, filled without code: per event topic a BigQuery subscription writes
 * each message to its event table (the table's schema, `writeMetadata`, unknown fields such as
 * personal data dropped), and snake_case views over it show each event once. A message the
 * table refuses goes, after the delivery policy's attempts, to the subscription's dead-letter
 * topic, whose own BigQuery subscription keeps it as it was in `dead_letters`.
 */
export class Analytics extends pulumi.ComponentResource {
  readonly datasetId: pulumi.Output<string>;

  constructor(name: string, args: AnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Analytics', name, {}, opts);
    const parent = { parent: this };
    const { delivery } = args;

    const dataset = new gcp.bigquery.Dataset(
      `${name}-dataset`,
      {
        datasetId: args.datasetId,
        location: args.location,
        description: 'Orderflow events for analysts: event tables filled by Pub/Sub, and views.',
        deleteContentsOnDestroy: !args.deletionProtection,
      },
      parent,
    );
    // Pub/Sub writes the rows as its service agent: it needs to write the dataset's tables.
    const writer = new gcp.bigquery.DatasetIamMember(
      `${name}-pubsub-writer`,
      { datasetId: dataset.datasetId, role: 'roles/bigquery.dataEditor', member: args.pubsubAgent },
      parent,
    );
    for (const member of args.analysts) {
      new gcp.bigquery.DatasetIamMember(
        `${name}-reader-${member}`,
        { datasetId: dataset.datasetId, role: 'roles/bigquery.dataViewer', member },
        parent,
      );
      new gcp.projects.IAMMember(
        `${name}-job-user-${member}`,
        { project: args.project, role: 'roles/bigquery.jobUser', member },
        parent,
      );
    }

    const table = (id: string, schema: SchemaField[]) =>
      new gcp.bigquery.Table(
        `${name}-${id}`,
        {
          datasetId: dataset.datasetId,
          tableId: id,
          schema: JSON.stringify(schema),
          timePartitioning: { type: 'DAY', field: 'publish_time' },
          deletionProtection: args.deletionProtection,
        },
        parent,
      );
    const tableName = (id: string) => `${args.project}.${args.datasetId}.${id}`;
    const deadLetters = table(deadLetterTable.name, [
      ...metadataSchema,
      { name: deadLetterTable.dataColumn, type: 'STRING', mode: 'NULLABLE' },
    ]);
    const afterAccess = (...tables: pulumi.Resource[]) => ({
      parent: this,
      dependsOn: [writer, ...tables],
    });

    for (const spec of args.tables) {
      const events = table(spec.eventTable, [...metadataSchema, ...spec.columns.map(schemaOf)]);
      let previous: pulumi.Resource = events;
      for (const view of viewsOf(spec, bigQueryDialect(args.project, args.datasetId))) {
        // A view is created only once what it reads exists: `order_lines` reads `orders`.
        previous = new gcp.bigquery.Table(
          `${name}-${view.name}`,
          {
            datasetId: dataset.datasetId,
            tableId: view.name,
            view: { query: view.sql, useLegacySql: false },
            deletionProtection: args.deletionProtection,
          },
          { parent: this, dependsOn: [previous] },
        );
      }

      const deadLetterTopic = new gcp.pubsub.Topic(
        `${name}-${spec.deadLetterTopic}`,
        { name: spec.deadLetterTopic },
        parent,
      );
      new gcp.pubsub.TopicIAMMember(
        `${name}-${spec.deadLetterTopic}-publisher`,
        { topic: deadLetterTopic.name, role: 'roles/pubsub.publisher', member: args.pubsubAgent },
        parent,
      );
      const topic = args.topics[spec.topic];
      if (!topic)
        throw new Error(`analytics table ${spec.table} reads ${spec.topic}, which does not exist`);
      const subscription = new gcp.pubsub.Subscription(
        `${name}-${spec.subscription}`,
        {
          name: spec.subscription,
          topic,
          bigqueryConfig: {
            table: tableName(spec.eventTable),
            useTableSchema: true,
            writeMetadata: true,
            // The fields the table leaves out (`omit`: personal data) are dropped, not refused.
            dropUnknownFields: true,
          },
          messageRetentionDuration: `${week}s`,
          expirationPolicy: { ttl: '' },
          retryPolicy: {
            minimumBackoff: `${delivery.minBackoffSeconds}s`,
            maximumBackoff: `${delivery.maxBackoffSeconds}s`,
          },
          deadLetterPolicy: {
            deadLetterTopic: deadLetterTopic.id,
            maxDeliveryAttempts: delivery.maxDeliveryAttempts,
          },
        },
        afterAccess(events),
      );
      // Pub/Sub acknowledges a dead-lettered message on the source subscription as its agent.
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-${spec.subscription}-subscriber`,
        {
          subscription: subscription.name,
          role: 'roles/pubsub.subscriber',
          member: args.pubsubAgent,
        },
        parent,
      );
      // No schema, no dead-letter policy: any message fits `dead_letters`, kept a month if not.
      new gcp.pubsub.Subscription(
        `${name}-${spec.deadLetterTopic}`,
        {
          name: spec.deadLetterTopic,
          topic: deadLetterTopic.id,
          bigqueryConfig: { table: tableName(deadLetterTable.name), writeMetadata: true },
          messageRetentionDuration: `${month}s`,
          expirationPolicy: { ttl: '' },
        },
        afterAccess(deadLetters),
      );
    }

    this.datasetId = dataset.datasetId;
    this.registerOutputs({ datasetId: this.datasetId });
  }
}
