import { expect } from 'chai';
import {
  findSubscription,
  planSubscriptions,
  subscribersOf,
  topology,
  type Topology,
} from '@orderflow/topology';

describe('planSubscriptions', () => {
  const plans = planSubscriptions(topology);

  const planned = (name: string, service: string, topic: string, pushPath: string) => ({
    subscriber: name,
    service,
    topic,
    pushPath,
    subscription: `${topic}.${name}`,
    replayTopic: `${topic}.${name}.replay`,
    replaySubscription: `${topic}.${name}.replay`,
    deadLetterTopic: `${topic}.${name}.dead-letter`,
    deadLetterSubscription: `${topic}.${name}.dead-letter`,
    deadLetterPushPath: `/pubsub/dead-letters/${name}`,
  });

  it('plans one subscription per subscriber, named after topic and subscriber', () => {
    expect(plans).to.deep.equal([
      ...['notification', 'seller', 'segmentation'].map((name) =>
        planned(name, name, 'order-placed.v1', '/pubsub/order-placed'),
      ),
      planned(
        'notification-cancelled',
        'notification',
        'order-cancelled.v1',
        '/pubsub/order-cancelled',
      ),
      planned(
        'notification-part-shipped',
        'notification',
        'order-part-shipped.v1',
        '/pubsub/order-part-shipped',
      ),
      planned(
        'notification-part-rejected',
        'notification',
        'order-part-rejected.v1',
        '/pubsub/order-part-rejected',
      ),
      planned('seller-cancelled', 'seller', 'order-cancelled.v1', '/pubsub/order-cancelled'),
      planned(
        'vip-welcome',
        'notification',
        'customer-segment-changed.v1',
        '/pubsub/customer-segment-changed',
      ),
    ]);
  });

  it('feeds each analytics table from a declared topic', () => {
    const topics = topology.topics.map((t) => t.name);
    expect(topology.analytics.map((a) => a.table)).to.deep.equal(['orders', 'segment_changes']);
    for (const { topic } of topology.analytics) expect(topics).to.include(topic);
  });

  it('gives every subscription, replay and dead-letter queue a name of its own', () => {
    const names = plans.flatMap((p) => [p.subscription, p.replayTopic, p.deadLetterTopic]);
    expect(new Set(names).size).to.equal(names.length);
  });

  it('subscribes only to declared topics, each a versioned one', () => {
    const topics = topology.topics.map((t) => t.name);
    for (const plan of plans) expect(topics).to.include(plan.topic);
    for (const topic of topics) expect(topic).to.match(/\.v\d+$/);
  });

  it('retries locally with 1 to 10 s backoff and dead-letters after 5 attempts', () => {
    expect(topology.delivery.local).to.include({
      minBackoffSeconds: 1,
      maxBackoffSeconds: 10,
      maxDeliveryAttempts: 5,
    });
  });
});

describe('subscribersOf and findSubscription', () => {
  const small: Topology = {
    topics: [
      { name: 'a.v1', eventType: 'a.v1', publisher: 'order', outbox: 'a' },
      { name: 'b.v1', eventType: 'b.v1', publisher: 'order', outbox: 'b' },
    ],
    subscribers: [
      { name: 'x', service: 'seller', topic: 'a.v1', pushPath: '/pubsub/a' },
      { name: 'y', service: 'seller', topic: 'b.v1', pushPath: '/pubsub/b' },
      { name: 'z', service: 'notification', topic: 'a.v1', pushPath: '/pubsub/a' },
    ],
    analytics: [],
    delivery: topology.delivery,
  };

  it('lists the subscribers of one topic', () => {
    expect(subscribersOf(small, 'a.v1')).to.deep.equal(['x', 'z']);
    expect(subscribersOf(small, 'c.v1')).to.deep.equal([]);
  });

  it('finds a subscriber plan by name', () => {
    expect(findSubscription(small, 'y')).to.include({ topic: 'b.v1', subscription: 'b.v1.y' });
    expect(findSubscription(small, 'nobody')).to.equal(undefined);
  });
});
