import { expect } from 'chai';
import { orderOutboxCollection, setAsideLogMessage } from '@orderflow/outbox';
import { segmentationOutboxCollection } from '@orderflow/segmentation/adapters/firestore-segment-store';
import { planSubscriptions, topology } from '@orderflow/topology';
import { runProgram } from './fixture.js';
import type { Declarations } from './mocks.js';
import { declaredDefaults } from './stack-config.js';
import { urlOf } from './views.js';

const plans = planSubscriptions(topology);

describe('infra: operations', () => {
  let declared: Declarations;
  let outputs: Awaited<ReturnType<typeof runProgram>>['result'];
  before(async () => {
    ({ declared, result: outputs } = await runProgram());
  });

  it('declares retry and dead-letter defaults equal to topology.delivery.production', () => {
    const defaults = declaredDefaults();
    for (const [key, value] of Object.entries(topology.delivery.production)) {
      expect(defaults[key], key).to.equal(String(value));
    }
  });

  it('creates the native Firestore database, the outbox, customer-orders and seller-orders indexes and the expiry of idempotency keys and outbox entries', () => {
    expect(declared.ofType('gcp:firestore/database:Database').map((d) => d.inputs)).to.deep.equal([
      {
        name: '(default)',
        locationId: 'eur3',
        type: 'FIRESTORE_NATIVE',
        pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
        deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
        deletionPolicy: 'ABANDON',
      },
    ]);
    // A customer's orders, and a seller's (GET /seller/orders), newest first.
    const ordersIndexes = declared
      .ofType('gcp:firestore/index:Index')
      .filter((index) => index.inputs.collection === 'orders')
      .map((index) => index.inputs.fields);
    expect(ordersIndexes).to.have.deep.members([
      [
        { fieldPath: 'customer.id', order: 'ASCENDING' },
        { fieldPath: 'createdAt', order: 'DESCENDING' },
        { fieldPath: '__name__', order: 'DESCENDING' },
      ],
      [
        { fieldPath: 'sellerIds', arrayConfig: 'CONTAINS' },
        { fieldPath: 'createdAt', order: 'DESCENDING' },
        { fieldPath: '__name__', order: 'DESCENDING' },
      ],
    ]);
    // The seller's sweep: a subscriber's deliveries with a part due, soonest first; the
    // reconciler: a subscriber's unfinished deliveries, oldest first.
    const deliveries = declared
      .ofType('gcp:firestore/index:Index')
      .filter((index) => index.inputs.collection === 'deliveries');
    expect(deliveries.map((index) => index.inputs.fields)).to.have.deep.members([
      [
        { fieldPath: 'subscriber', order: 'ASCENDING' },
        { fieldPath: 'partsDueAt', order: 'ASCENDING' },
      ],
      [
        { fieldPath: 'subscriber', order: 'ASCENDING' },
        { fieldPath: 'state', order: 'ASCENDING' },
        { fieldPath: 'updatedAt', order: 'ASCENDING' },
      ],
    ]);
    // The collections the services' code writes their outbox entries to: the relay's index, and
    // the reconcilers' (one event type of the outbox, by time).
    const outboxes = [orderOutboxCollection, segmentationOutboxCollection];
    for (const collection of outboxes) {
      const indexes = declared
        .ofType('gcp:firestore/index:Index')
        .filter((index) => index.inputs.collection === collection);
      expect(indexes.map((index) => index.inputs.fields)).to.have.deep.members([
        [
          { fieldPath: 'publishedAt', order: 'ASCENDING' },
          { fieldPath: 'createdAt', order: 'ASCENDING' },
        ],
        [
          { fieldPath: 'event.type', order: 'ASCENDING' },
          { fieldPath: 'createdAt', order: 'ASCENDING' },
        ],
      ]);
    }
    for (const collection of ['idempotencyKeys', ...outboxes]) {
      const ttl = declared.one('gcp:firestore/field:Field', 'collection', collection);
      expect(ttl.inputs).to.deep.include({ field: 'expiresAt', ttlConfig: {}, indexConfig: {} });
    }
  });

  it('alerts by email on dead letters, set-aside outbox entries, old unacked push messages and order 5xx', () => {
    const channel = declared.ofType('gcp:monitoring/notificationChannel:NotificationChannel');
    expect(channel.map((c) => c.inputs.labels)).to.deep.equal([
      { email_address: 'oncall@acme.example' },
    ]);
    const policies = declared.ofType('gcp:monitoring/alertPolicy:AlertPolicy');
    for (const policy of policies) {
      expect(policy.inputs.notificationChannels, policy.name).to.deep.equal([
        channel[0]!.state.name,
      ]);
    }
    const filters = policies.flatMap((p) =>
      p.inputs.conditions.map((c) => c.conditionThreshold?.filter ?? ''),
    );
    const watching = (metric: string, subscription: string) =>
      filters.filter(
        (f) => f.includes(metric) && f.includes(`subscription_id = "${subscription}"`),
      );
    const setAside = declared.one(
      'gcp:logging/metric:Metric',
      'name',
      'orderflow/outbox_set_aside',
    );
    expect(setAside.inputs.filter).to.equal(`jsonPayload.message="${setAsideLogMessage}"`);
    expect(
      filters.filter((f) => f.includes('logging.googleapis.com/user/orderflow/outbox_set_aside')),
    ).to.have.length(1);
    const metric = declared.one('gcp:logging/metric:Metric', 'name', 'orderflow/dead_letters');
    expect(metric.inputs.filter).to.equal('jsonPayload.message="dead letter recorded"');
    for (const plan of plans) {
      expect(
        filters.filter(
          (f) =>
            f.includes('logging.googleapis.com/user/orderflow/dead_letters') &&
            f.includes(`metric.labels.subscriber = "${plan.subscriber}"`),
        ),
      ).to.have.length(1);
      for (const subscription of [
        plan.subscription,
        plan.replaySubscription,
        plan.deadLetterSubscription,
      ]) {
        expect(watching('oldest_unacked_message_age', subscription)).to.have.length(1);
      }
    }
    expect(
      filters.filter((f) => f.includes('service_name = "order"') && f.includes('5xx')),
    ).to.have.length(1);
  });

  it('outputs the order API URL and the Pub/Sub names', () => {
    expect(outputs.orderApiUrl).to.equal(urlOf(declared, 'order'));
    expect(outputs.imageRepository).to.equal('europe-west1-docker.pkg.dev/acme-orders/orderflow');
    expect(outputs.topics).to.deep.equal(topology.topics.map((t) => t.name));
    expect(Object.keys(outputs.subscriptions)).to.deep.equal(plans.map((p) => p.subscriber));
    for (const plan of plans) {
      const { subscriber: _s, service: _v, pushPath: _p, deadLetterPushPath: _d, ...names } = plan;
      expect(outputs.subscriptions[plan.subscriber]).to.deep.equal(names);
    }
  });
});
