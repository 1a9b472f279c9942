import type { FulfilmentRecord } from '@orderflow/events';
import { deadLetteredFulfilment, type DeadLetterRecord } from './dead-letter-record.js';
import type { DeliveryState } from './firestore-paths.js';
import {
  fulfilmentAfter,
  type BeginOutcome,
  type DeliveryContext,
  type DeliveryKey,
  type DeliveryLedger,
  type Failure,
  type RecordOutcome,
} from './ledger.js';

interface Entry {
  state: DeliveryState;
  lastError?: string | undefined;
  attempts: number;
  leaseUntil: number;
  completedSteps: string[];
}

export class InMemoryDeliveryLedger implements DeliveryLedger {
  readonly entries = new Map<string, Entry>();
  /** Fulfilment records by order id, then subscriber. */
  readonly fulfilment = new Map<string, Record<string, FulfilmentRecord>>();

  begin(delivery: DeliveryContext, now: Date, leaseMs: number): Promise<BeginOutcome> {
    const entry = this.entries.get(keyOf(delivery));
    if (entry?.state === 'done') return Promise.resolve({ status: 'done' });
    if (entry?.state === 'processing' && entry.leaseUntil > now.getTime()) {
      return Promise.resolve({ status: 'busy' });
    }
    const next: Entry = {
      state: 'processing',
      attempts: (entry?.attempts ?? 0) + 1,
      leaseUntil: now.getTime() + leaseMs,
      completedSteps: entry?.completedSteps ?? [],
    };
    this.entries.set(keyOf(delivery), next);
    return Promise.resolve({
      status: 'acquired',
      attempt: next.attempts,
      completedSteps: [...next.completedSteps],
    });
  }

  completeStep(delivery: DeliveryKey, step: string): Promise<void> {
    this.entries.get(keyOf(delivery))?.completedSteps.push(step);
    return Promise.resolve();
  }

  complete(delivery: DeliveryContext, now: Date, attempt: number): Promise<void> {
    this.finish(delivery, now, { attempt });
    return Promise.resolve();
  }

  fail(delivery: DeliveryContext, now: Date, failure: Failure): Promise<void> {
    const current = this.entries.get(keyOf(delivery));
    if (current?.state === 'done' || current?.state === 'dead-lettered') return Promise.resolve();
    if (current?.attempts !== failure.attempt) return Promise.resolve();
    this.finish(delivery, now, { attempt: failure.attempt, failure });
    return Promise.resolve();
  }

  readonly rejections = new Map<string, string>();

  reject(subscriber: string, messageKey: string, reason: string): Promise<void> {
    this.rejections.set(`${subscriber}_${messageKey}`, reason);
    return Promise.resolve();
  }

  lastError(subscriber: string, messageKey: string): Promise<string | undefined> {
    const id = `${subscriber}_${messageKey}`;
    return Promise.resolve(this.entries.get(id)?.lastError ?? this.rejections.get(id));
  }

  /** Dead-letter records by `{subscriber}_{key}`. */
  readonly deadLetters = new Map<string, DeadLetterRecord>();

  recordDeadLetter(record: DeadLetterRecord): Promise<RecordOutcome> {
    const { eventId, orderId, subscriber } = record;
    const entry = eventId ? this.entries.get(keyOf({ subscriber, eventId })) : undefined;
    if (entry?.state === 'done' || entry?.state === 'replaying') return Promise.resolve('stale');
    const complete = {
      ...record,
      attempts: record.attempts ?? entry?.attempts,
      reason: entry?.lastError ?? record.reason,
    };
    this.deadLetters.set(`${subscriber}_${record.key}`, complete);
    if (entry) {
      entry.state = 'dead-lettered';
      entry.leaseUntil = 0;
    }
    if (orderId) {
      const records = this.fulfilment.get(orderId) ?? {};
      records[subscriber] = deadLetteredFulfilment(complete);
      this.fulfilment.set(orderId, records);
    }
    return Promise.resolve('recorded');
  }

  private finish(
    delivery: DeliveryContext,
    now: Date,
    outcome: { attempt: number; failure?: Failure | undefined },
  ) {
    const entry = this.entries.get(keyOf(delivery));
    if (!entry) return;
    entry.state = outcome.failure ? 'failed' : 'done';
    entry.lastError = outcome.failure?.error;
    entry.leaseUntil = 0;
    const records = this.fulfilment.get(delivery.orderId) ?? {};
    records[delivery.subscriber] = fulfilmentAfter(now, delivery.eventId, outcome);
    this.fulfilment.set(delivery.orderId, records);
  }
}

const keyOf = (key: DeliveryKey) => `${key.subscriber}_${key.eventId}`;
