import {
  InMemoryDeadLetterSink,
  InMemoryDeliveryLedger,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import { ManualClock } from './clock.js';
import { silentLogger } from './logger.js';

/** What a subscriber app needs, in memory: a fresh ledger, a manual clock, a silent logger. */
export function subscriberDeps(overrides: Partial<SubscriberDeps> = {}): SubscriberDeps {
  return {
    ledger: new InMemoryDeliveryLedger(),
    deadLetters: new InMemoryDeadLetterSink(),
    logger: silentLogger(),
    clock: new ManualClock().now,
    projectId: 'test-project',
    maxDeliveryAttempts: 5,
    leaseMs: 60_000,
    ...overrides,
  };
}
