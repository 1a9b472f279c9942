/**
 * The event topology of the system, declared once as plain data.
 * The Pulumi program and the local emulator set-up both derive every topic,
 * push subscription, replay route and dead-letter queue from it.
 */

export type ServiceName = 'order' | 'notification' | 'seller' | 'segmentation';

export interface DeliveryPolicy {
  /** How long Pub/Sub waits for the push endpoint to answer before it retries. */
  ackDeadlineSeconds: number;
  minBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** After this many failed deliveries the message moves to the dead-letter topic. */
  maxDeliveryAttempts: number;
}

export interface TopicSpec {
  /** Versioned: a breaking change to the event gets a new topic. */
  name: string;
  eventType: string;
  publisher: ServiceName;
  /**
   * The publisher's outbox collection in Firestore: every event it committed, kept 7 days once
   * published. The reconciler reads it to find events a subscriber never received.
   */
  outbox: string;
}

export interface SubscriberSpec {
  name: string;
  service: ServiceName;
  topic: string;
  /** The route of `service` that Pub/Sub pushes to. */
  pushPath: string;
}

/**
 * A table analysts query, filled from a topic with one row per event: in Google Cloud by a
 * BigQuery subscription, locally by the local system into DuckDB (libs/analytics).
 */
export interface AnalyticsTableSpec {
  /** The analysts' view: snake_case columns, one row per event id. */
  table: string;
  topic: string;
  /** Fields of the event (dotted paths) kept out of the tables: personal data. */
  omit: readonly string[];
  /** A repeated field that also gets a view of its own, one row per element: `lines` → `order_lines`. */
  unnest?: { field: string; table: string };
}

export interface Topology {
  topics: readonly TopicSpec[];
  subscribers: readonly SubscriberSpec[];
  analytics: readonly AnalyticsTableSpec[];
  delivery: { production: DeliveryPolicy; local: DeliveryPolicy };
}

export const topology: Topology = {
  topics: [
    { name: 'order-placed.v1', eventType: 'order.placed.v1', publisher: 'order', outbox: 'outbox' },
    {
      name: 'order-cancelled.v1',
      eventType: 'order.cancelled.v1',
      publisher: 'order',
      outbox: 'outbox',
    },
    {
      name: 'order-part-accepted.v1',
      eventType: 'order.part-accepted.v1',
      publisher: 'order',
      outbox: 'outbox',
    },
    {
      name: 'order-part-shipped.v1',
      eventType: 'order.part-shipped.v1',
      publisher: 'order',
      outbox: 'outbox',
    },
    {
      name: 'order-part-rejected.v1',
      eventType: 'order.part-rejected.v1',
      publisher: 'order',
      outbox: 'outbox',
    },
    {
      name: 'customer-segment-changed.v1',
      eventType: 'customer.segment-changed.v1',
      publisher: 'segmentation',
      outbox: 'segmentationOutbox',
    },
  ],
  subscribers: [
    {
      name: 'notification',
      service: 'notification',
      topic: 'order-placed.v1',
      pushPath: '/pubsub/order-placed',
    },
    {
      name: 'seller',
      service: 'seller',
      topic: 'order-placed.v1',
      pushPath: '/pubsub/order-placed',
    },
    {
      name: 'segmentation',
      service: 'segmentation',
      topic: 'order-placed.v1',
      pushPath: '/pubsub/order-placed',
    },
    {
      name: 'notification-cancelled',
      service: 'notification',
      topic: 'order-cancelled.v1',
      pushPath: '/pubsub/order-cancelled',
    },
    {
      name: 'notification-part-shipped',
      service: 'notification',
      topic: 'order-part-shipped.v1',
      pushPath: '/pubsub/order-part-shipped',
    },
    {
      name: 'notification-part-rejected',
      service: 'notification',
      topic: 'order-part-rejected.v1',
      pushPath: '/pubsub/order-part-rejected',
    },
    {
      name: 'seller-cancelled',
      service: 'seller',
      topic: 'order-cancelled.v1',
      pushPath: '/pubsub/order-cancelled',
    },
    {
      name: 'vip-welcome',
      service: 'notification',
      topic: 'customer-segment-changed.v1',
      pushPath: '/pubsub/customer-segment-changed',
    },
  ],
  analytics: [
    {
      table: 'orders',
      topic: 'order-placed.v1',
      omit: ['customer.email'],
      unnest: { field: 'lines', table: 'order_lines' },
    },
    { table: 'segment_changes', topic: 'customer-segment-changed.v1', omit: ['email'] },
  ],
  delivery: {
    production: {
      ackDeadlineSeconds: 60,
      minBackoffSeconds: 10,
      maxBackoffSeconds: 600,
      maxDeliveryAttempts: 10,
    },
    local: {
      ackDeadlineSeconds: 10,
      minBackoffSeconds: 1,
      maxBackoffSeconds: 10,
      maxDeliveryAttempts: 5,
    },
  },
};
