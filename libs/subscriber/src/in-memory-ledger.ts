import type { FulfilmentRecord } from '@orderflow/events';
import { deadLetteredFulfilment, type DeadLetterRecord } from './dead-letter-record.js';
import type { DeliveryState } from './firestore-paths.js';
import {
  awaitingReplay,
  awaitsRedrive,
  deadLetterNews,
  fulfilmentAfter,
  type BeginOutcome,
  type DeliveryLedger,
  type Failure,
  type PushedParts,
  type RecordOutcome,
} from './ledger.js';
import type { DeliveryContext, DeliveryKey } from './delivery.js';
import {
  claimDue,
  nextDueAt,
  partDeadLetter,
  partsFulfilment,
  settle,
  settlePushed,
  type PartClaim,
  type PartOutcome,
  type PartPolicy,
  type PartRecord,
  type Settled,
} from './parts.js';

interface Entry {
  context?: DeliveryContext;
  state: DeliveryState;
  lastError?: string | undefined;
  attempts: number;
  leaseUntil: number;
  completedSteps: string[];
  parts?: Record<string, PartRecord>;
  message?: PartClaim['message'];
  replay?: string;
  /** Epoch ms of the last attempt's start or end, or of the replay that reset it. */
  updatedAt: number;
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
      ...entry,
      context: delivery,
      state: 'processing',
      attempts: (entry?.attempts ?? 0) + 1,
      leaseUntil: now.getTime() + leaseMs,
      completedSteps: entry?.completedSteps ?? [],
      updatedAt: now.getTime(),
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

  recordDeadLetter(record: DeadLetterRecord, now: Date): Promise<RecordOutcome> {
    const { eventId, orderId, subscriber } = record;
    const entry = eventId ? this.entries.get(keyOf({ subscriber, eventId })) : undefined;
    const recorded = this.deadLetters.get(`${subscriber}_${record.key}`);
    const news = deadLetterNews(record, entry, recorded, now);
    if (news !== 'recorded') return Promise.resolve(news);
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

  settlePushedParts(delivery: DeliveryContext, now: Date, pushed: PushedParts): Promise<void> {
    const entry = this.entries.get(keyOf(delivery));
    if (entry?.state !== 'processing' || entry.attempts !== pushed.attempt)
      return Promise.resolve();
    const settled = settlePushed(entry.parts ?? {}, pushed.outcomes, now.getTime(), pushed.policy);
    Object.assign(entry, {
      state: 'done',
      leaseUntil: 0,
      lastError: undefined,
      updatedAt: now.getTime(),
    });
    entry.message = pushed.message;
    const names = pushed.outcomes.map((o) => o.name);
    entry.completedSteps = [...new Set([...entry.completedSteps, ...names])];
    this.writeParts(entry, { delivery, message: pushed.message }, settled, now);
    return Promise.resolve();
  }

  unrecorded(subscriber: string, eventIds: readonly string[]): Promise<string[]> {
    return Promise.resolve(
      eventIds.filter((eventId) => !this.entries.has(keyOf({ subscriber, eventId }))),
    );
  }

  stalled(subscriber: string, before: Date, now: Date, limit: number): Promise<DeliveryKey[]> {
    const stalled = [...this.entries.values()]
      .filter((e) => e.context?.subscriber === subscriber && awaitsRedrive(e, before, now))
      .sort((a, b) => a.updatedAt - b.updatedAt);
    return Promise.resolve(
      stalled.slice(0, limit).map((e) => ({ subscriber, eventId: e.context?.eventId ?? '' })),
    );
  }

  redrive(delivery: DeliveryContext, now: Date, before: Date, replay: string): Promise<boolean> {
    const entry = this.entries.get(keyOf(delivery));
    if (!awaitsRedrive(entry, before, now)) return Promise.resolve(false);
    const { state, leaseUntil, updatedAt } = awaitingReplay(now, replay);
    this.entries.set(keyOf(delivery), {
      attempts: 0,
      completedSteps: [],
      ...entry,
      context: delivery,
      state,
      leaseUntil,
      replay,
      updatedAt: updatedAt.getTime(),
    });
    return Promise.resolve(true);
  }

  dueParts(subscriber: string, now: Date, limit: number): Promise<DeliveryKey[]> {
    const due: { eventId: string; at: number }[] = [];
    for (const { context, parts } of this.entries.values()) {
      const at = parts && nextDueAt(parts);
      if (context?.subscriber !== subscriber || at === undefined || at > now.getTime()) continue;
      due.push({ eventId: context.eventId, at });
    }
    due.sort((a, b) => a.at - b.at);
    return Promise.resolve(due.slice(0, limit).map(({ eventId }) => ({ subscriber, eventId })));
  }

  claimParts(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    policy: PartPolicy,
  ): Promise<PartClaim | undefined> {
    const entry = this.entries.get(keyOf(key));
    if (!entry?.parts || !entry.message || !entry.context) return Promise.resolve(undefined);
    const due = claimDue(entry.parts, now.getTime(), leaseMs, policy);
    if (due.claimed.length === 0 && due.deadLettered.length === 0) {
      return Promise.resolve(undefined);
    }
    const taken = { delivery: entry.context, message: entry.message };
    const deadLettered = this.writeParts(entry, taken, due, now);
    return Promise.resolve({ ...taken, parts: due.claimed, deadLettered });
  }

  settleParts(
    claim: PartClaim,
    now: Date,
    outcomes: readonly PartOutcome[],
    policy: PartPolicy,
  ): Promise<DeadLetterRecord[]> {
    const entry = this.entries.get(keyOf(claim.delivery));
    if (!entry?.parts) return Promise.resolve([]);
    const settled = settle(entry.parts, outcomes, now.getTime(), policy);
    return Promise.resolve(this.writeParts(entry, claim, settled, now));
  }

  private writeParts(
    entry: Entry,
    claim: Pick<PartClaim, 'delivery' | 'message'>,
    settled: Settled,
    now: Date,
  ): DeadLetterRecord[] {
    const { delivery } = claim;
    entry.parts = settled.parts;
    const records = settled.deadLettered.map(([name, part]) =>
      partDeadLetter(claim, name, part, now),
    );
    for (const record of records)
      this.deadLetters.set(`${record.subscriber}_${record.key}`, record);
    const fulfilment = this.fulfilment.get(delivery.orderId) ?? {};
    fulfilment[delivery.subscriber] = partsFulfilment(delivery.eventId, settled.parts, now);
    this.fulfilment.set(delivery.orderId, fulfilment);
    return records;
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
    entry.updatedAt = now.getTime();
    const records = this.fulfilment.get(delivery.orderId) ?? {};
    records[delivery.subscriber] = fulfilmentAfter(now, delivery.eventId, outcome);
    this.fulfilment.set(delivery.orderId, records);
  }
}

const keyOf = (key: DeliveryKey) => `${key.subscriber}_${key.eventId}`;
