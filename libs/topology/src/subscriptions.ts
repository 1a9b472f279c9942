import type { ServiceName, SubscriberSpec, Topology } from './topology.js';

/**
 * The route of a subscriber's service that records what reaches the subscriber's dead-letter
 * topic: one per subscriber, since a service may serve several.
 */
export const deadLetterPushPathOf = (subscriber: string) => `/pubsub/dead-letters/${subscriber}`;

/**
 * The route of every subscriber service that Cloud Scheduler calls to re-drive what Pub/Sub never
 * brought it (libs/subscriber, reconciler.ts).
 */
export const reconcilePath = '/internal/deliveries/reconcile';

/** The services that run a subscriber, each with its reconciler. */
export const subscriberServices = (topology: Topology): ServiceName[] => [
  ...new Set(topology.subscribers.map((s) => s.service)),
];

/** The log message of every dead letter recorded: the alerts count it. */
export const deadLetterRecordedMessage = 'dead letter recorded';

/**
 * Everything one subscriber of one topic needs, derived from its spec:
 * the live push subscription, a replay topic whose own push subscription reaches
 * this subscriber alone, and the dead-letter topic both of them feed, whose push
 * subscription brings each dead letter back to the subscriber to be recorded.
 */
export interface SubscriptionPlan {
  subscriber: string;
  service: ServiceName;
  topic: string;
  pushPath: string;
  subscription: string;
  replayTopic: string;
  replaySubscription: string;
  deadLetterTopic: string;
  deadLetterSubscription: string;
  deadLetterPushPath: string;
}

export function planSubscription(spec: SubscriberSpec): SubscriptionPlan {
  const base = `${spec.topic}.${spec.name}`;
  return {
    subscriber: spec.name,
    service: spec.service,
    topic: spec.topic,
    pushPath: spec.pushPath,
    subscription: base,
    replayTopic: `${base}.replay`,
    replaySubscription: `${base}.replay`,
    deadLetterTopic: `${base}.dead-letter`,
    deadLetterSubscription: `${base}.dead-letter`,
    deadLetterPushPath: deadLetterPushPathOf(spec.name),
  };
}

export function planSubscriptions(topology: Topology): SubscriptionPlan[] {
  return topology.subscribers.map(planSubscription);
}

export function subscribersOf(topology: Topology, topic: string): string[] {
  return topology.subscribers.filter((s) => s.topic === topic).map((s) => s.name);
}

export function findSubscription(
  topology: Topology,
  subscriber: string,
): SubscriptionPlan | undefined {
  const spec = topology.subscribers.find((s) => s.name === subscriber);
  return spec && planSubscription(spec);
}
