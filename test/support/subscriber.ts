import {
  InMemoryDeadLetterSink,
  InMemoryDeliveryLedger,
  InMemoryOrderStreams,
  type DeadLetterRecord,
  type DeliveryContext,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import { ManualClock } from './clock.js';
import { silentLogger } from './logger.js';

/** What a subscriber app needs, in memory: a fresh ledger, a manual clock, a silent logger. */
export function subscriberDeps(overrides: Partial<SubscriberDeps> = {}): SubscriberDeps {
  return {
    ledger: new InMemoryDeliveryLedger(),
    streams: new InMemoryOrderStreams(),
    deadLetters: new InMemoryDeadLetterSink(),
    logger: silentLogger(),
    clock: new ManualClock().now,
    projectId: 'test-project',
    maxDeliveryAttempts: 5,
    leaseMs: 60_000,
    ...overrides,
  };
}

/** The dead letter Pub/Sub's last attempt leaves of `delivery`, recorded at `now`. */
export function aDeadLetter(delivery: DeliveryContext, now: Date): DeadLetterRecord {
  return {
    subscriber: delivery.subscriber,
    key: delivery.eventId,
    eventId: delivery.eventId,
    orderId: delivery.orderId,
    type: delivery.eventType,
    reason: 'every delivery attempt failed',
    deadLetteredAt: now.toISOString(),
    message: { data: '{}', attributes: { 'ce-id': delivery.eventId } },
    state: 'dead-lettered',
    sourceMessageId: `dead-letter-${delivery.eventId}`,
  };
}
