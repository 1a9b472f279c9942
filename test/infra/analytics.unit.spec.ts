import { expect } from 'chai';
import { analyticsTables, metadataColumns } from '@orderflow/analytics';
import { topology } from '@orderflow/topology';
import { runProgram } from './fixture.js';
import { project, pubsubAgentEmail, type Declarations } from './mocks.js';
import { grants } from './routes.js';

const agent = `serviceAccount:${pubsubAgentEmail}`;
const dataset = 'orderflow_analytics';
const production = topology.delivery.production;

interface Field {
  name: string;
  type: string;
  mode: string;
  fields?: Field[];
}

describe("infra: the analysts' BigQuery dataset", () => {
  let declared: Declarations;
  const tables = analyticsTables(topology);
  const table = (id: string) => declared.one('gcp:bigquery/table:Table', 'tableId', id);
  const schemaOf = (id: string) => JSON.parse(String(table(id).inputs.schema)) as Field[];

  before(async () => {
    ({ declared } = await runProgram());
  });

  it("creates one dataset, which Pub/Sub's agent writes and the analysts read", () => {
    const [declaredDataset, ...others] = declared.ofType('gcp:bigquery/dataset:Dataset');
    expect(others).to.deep.equal([]);
    expect(declaredDataset?.inputs).to.include({ datasetId: dataset, location: 'EU' });
    const members = declared
      .ofType('gcp:bigquery/datasetIamMember:DatasetIamMember')
      .map((g) => [g.inputs.role, g.inputs.member]);
    expect(members).to.have.deep.members([
      ['roles/bigquery.dataEditor', agent],
      ['roles/bigquery.dataViewer', 'group:analysts@acme.example'],
    ]);
  });

  it("gives each event table the subscription metadata and the event's fields from its zod schema, personal data left out", () => {
    const orders = schemaOf('order_placed_v1');
    expect(orders.map((f) => f.name)).to.deep.equal([
      ...metadataColumns.map((c) => c.name),
      'orderId',
      'customer',
      'lines',
      'totalCents',
      'currency',
      'placedAt',
    ]);
    expect(orders.find((f) => f.name === 'customer')).to.deep.equal({
      name: 'customer',
      type: 'RECORD',
      mode: 'NULLABLE',
      fields: [{ name: 'id', type: 'STRING', mode: 'NULLABLE' }],
    });
    const lines = orders.find((f) => f.name === 'lines');
    expect(lines).to.include({ type: 'RECORD', mode: 'REPEATED' });
    expect(lines?.fields?.map((f) => [f.name, f.type])).to.deep.equal([
      ['productId', 'STRING'],
      ['sellerId', 'STRING'],
      ['name', 'STRING'],
      ['quantity', 'INT64'],
      ['unitPriceCents', 'INT64'],
      ['lineTotalCents', 'INT64'],
    ]);
    const changes = schemaOf('customer_segment_changed_v1').map((f) => f.name);
    expect(changes).to.include.members(['customerId', 'segment', 'previousSegment', 'changedAt']);
    expect(changes).to.not.include('email');
    expect(table('order_placed_v1').inputs.timePartitioning).to.deep.equal({
      type: 'DAY',
      field: 'publish_time',
    });
  });

  it("declares the analysts' views in standard SQL, snake_case and each event once", () => {
    for (const id of ['orders', 'order_lines', 'segment_changes']) {
      expect(table(id).inputs.view?.useLegacySql, id).to.equal(false);
    }
    const orders = String(table('orders').inputs.view?.query);
    expect(orders).to.contain(`FROM \`${project}.${dataset}.order_placed_v1\``);
    expect(orders).to.contain('customer.id AS customer_id');
    expect(orders).to.contain('TIMESTAMP(placedAt) AS placed_at');
    expect(orders).to.contain(
      `QUALIFY ROW_NUMBER() OVER (PARTITION BY JSON_VALUE(attributes, '$."ce-id"') ORDER BY publish_time) = 1`,
    );
    expect(String(table('order_lines').inputs.view?.query)).to.contain(
      `FROM \`${project}.${dataset}.orders\` AS p, UNNEST(p.lines) AS element`,
    );
  });

  it('fills each event table by a BigQuery subscription of its topic, dead-lettering like every subscription', () => {
    for (const spec of tables) {
      const subscription = declared.one(
        'gcp:pubsub/subscription:Subscription',
        'name',
        spec.subscription,
      );
      const topic = declared.one('gcp:pubsub/topic:Topic', 'name', spec.topic);
      const deadLetterTopic = declared.one('gcp:pubsub/topic:Topic', 'name', spec.deadLetterTopic);
      expect(subscription.inputs.topic, spec.table).to.equal(topic.id);
      expect(subscription.inputs.pushConfig, spec.table).to.equal(undefined);
      expect(subscription.inputs.bigqueryConfig, spec.table).to.deep.equal({
        table: `${project}.${dataset}.${spec.eventTable}`,
        useTableSchema: true,
        writeMetadata: true,
        dropUnknownFields: true,
      });
      expect(subscription.inputs.deadLetterPolicy, spec.table).to.deep.equal({
        deadLetterTopic: deadLetterTopic.id,
        maxDeliveryAttempts: production.maxDeliveryAttempts,
      });
      expect(
        grants(
          declared,
          'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember',
          spec.subscription,
        ),
      ).to.deep.include({ role: 'roles/pubsub.subscriber', member: agent });
      expect(
        grants(declared, 'gcp:pubsub/topicIAMMember:TopicIAMMember', spec.deadLetterTopic),
      ).to.deep.include({ role: 'roles/pubsub.publisher', member: agent });

      const deadLetters = declared.one(
        'gcp:pubsub/subscription:Subscription',
        'name',
        spec.deadLetterTopic,
      );
      expect(deadLetters.inputs.topic).to.equal(deadLetterTopic.id);
      expect(deadLetters.inputs.bigqueryConfig).to.deep.equal({
        table: `${project}.${dataset}.dead_letters`,
        writeMetadata: true,
      });
    }
    expect(schemaOf('dead_letters').map((f) => f.name)).to.include('data');
  });

  it('turns on the BigQuery API', () => {
    expect(declared.ofType('gcp:projects/service:Service').map((s) => s.inputs.service)).to.include(
      'bigquery.googleapis.com',
    );
  });
});
