import type { Firestore, Transaction } from '@google-cloud/firestore';
import { fieldValue } from '@orderflow/platform';
import { deadLetterCollection, type DeadLetterRecord } from './dead-letter-record.js';
import { deadLetterRef, deliveryRef, fulfilmentRef, type DeliveryDoc } from './firestore-paths.js';
import { awaitingReplay, fulfilmentAfter } from './ledger.js';
import { nextDueAt, partsFulfilment, requeue } from './parts.js';

/**
 * What claiming a dead letter for replay found. `claimed`: reserved to the caller, its delivery
 * reset; publish it, then `finish`. `requeued`: a part its subscriber retries itself (the
 * seller's webhooks), due again now (nothing to publish). `done`: the delivery, or the part,
 * succeeded meanwhile, the letter is settled. `busy`: an attempt is running; try later.
 * `taken`: gone, replayed, or claimed by another replay.
 */
export type ClaimOutcome = 'claimed' | 'requeued' | 'done' | 'busy' | 'taken';

const defaultClaimMs = 60_000;

/**
 * The operators' side of the dead-letter records: list them, and replay each exactly once. A
 * replay claims the record in a transaction that also resets its delivery (never while an
 * attempt holds the lease, never a delivery that is done); the claim expires, so a replay that
 * died between claim and publish is not lost.
 */
export class FirestoreDeadLetters {
  constructor(
    private readonly db: Firestore,
    private readonly claimMs = defaultClaimMs,
  ) {}

  /** Every dead letter not yet replayed, oldest first, of one subscriber or all. */
  async list(subscriber?: string): Promise<DeadLetterRecord[]> {
    let query = this.db
      .collection(deadLetterCollection)
      .where('state', 'in', ['dead-lettered', 'replaying']);
    if (subscriber) query = query.where('subscriber', '==', subscriber);
    const snapshot = await query.get();
    return snapshot.docs
      .map((doc) => doc.data() as DeadLetterRecord)
      .sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt));
  }

  /**
   * `replay` names this replay: the caller publishes the message with it (`replayAttribute`),
   * and the delivery awaits it, so a dead letter of that message is news and one of any other
   * is not.
   */
  claim(record: DeadLetterRecord, now: Date, replay: string): Promise<ClaimOutcome> {
    const ref = deadLetterRef(this.db, record.subscriber, record.key);
    return this.db.runTransaction(async (tx): Promise<ClaimOutcome> => {
      const current = (await tx.get(ref)).data() as DeadLetterRecord | undefined;
      if (!current || !claimable(current, now)) return 'taken';
      const settled = { state: 'replayed', replayedAt: now.toISOString(), claimedUntil: null };
      if (current.part) {
        const outcome = await this.requeuePart(tx, current, current.part, now);
        tx.update(ref, settled);
        return outcome;
      }
      if (current.eventId) {
        const outcome = await this.resetDelivery(tx, current, now, replay);
        if (outcome === 'done') tx.update(ref, settled);
        if (outcome !== 'reset') return outcome;
      }
      tx.update(ref, { state: 'replaying', claimedUntil: now.getTime() + this.claimMs });
      return 'claimed';
    });
  }

  /** The claimed dead letter is published again: replayed. */
  async finish(record: DeadLetterRecord, now: Date): Promise<void> {
    await deadLetterRef(this.db, record.subscriber, record.key).update({
      state: 'replayed',
      replayedAt: now.toISOString(),
      claimedUntil: null,
    });
  }

  /** Publishing failed: the dead letter is listed again, for the next replay. */
  async release(record: DeadLetterRecord): Promise<void> {
    await deadLetterRef(this.db, record.subscriber, record.key).update({
      state: 'dead-lettered',
      claimedUntil: null,
    });
  }

  /**
   * Only that part is due again, with a fresh count of attempts: the delivery's other parts
   * (the sellers already told) are left as they are, and no message is published.
   */
  private async requeuePart(
    tx: Transaction,
    record: DeadLetterRecord,
    part: string,
    now: Date,
  ): Promise<'requeued' | 'done'> {
    const eventId = record.eventId ?? '';
    const ref = deliveryRef(this.db, { subscriber: record.subscriber, eventId });
    const delivery = (await tx.get(ref)).data() as DeliveryDoc | undefined;
    const { outcome, parts } = requeue(delivery?.parts ?? {}, part, now.getTime());
    if (outcome === 'missing') {
      throw new Error(`the delivery of ${eventId} to ${record.subscriber} has no part ${part}`);
    }
    if (outcome === 'done') return 'done';
    tx.update(ref, { parts, partsDueAt: nextDueAt(parts) ?? fieldValue().delete() });
    if (record.orderId) {
      tx.set(
        fulfilmentRef(this.db, record.orderId, record.subscriber),
        partsFulfilment(eventId, parts, now),
      );
    }
    return 'requeued';
  }

  /**
   * The next delivery starts afresh: a new count of attempts, the order's record `pending`. A
   * delivery none of whose pushes reached the ledger is recorded now, so that it, too, awaits
   * this replay (and the reconciler sees it if the replay never arrives).
   */
  private async resetDelivery(
    tx: Transaction,
    record: DeadLetterRecord,
    now: Date,
    replay: string,
  ): Promise<'reset' | 'done' | 'busy'> {
    const eventId = record.eventId ?? '';
    const ref = deliveryRef(this.db, { subscriber: record.subscriber, eventId });
    const delivery = (await tx.get(ref)).data() as DeliveryDoc | undefined;
    if (delivery?.state === 'done') return 'done';
    if (delivery?.state === 'processing' && delivery.leaseUntil > now.getTime()) return 'busy';
    const { orderId, type, subscriber } = record;
    const replaying = { ...awaitingReplay(now, replay), attempts: 0 };
    if (delivery) tx.update(ref, replaying);
    else if (orderId && type) {
      const context = { subscriber, eventId, orderId, eventType: type };
      tx.set(ref, { ...context, ...replaying, completedSteps: [] });
    }
    if (orderId) {
      tx.set(
        fulfilmentRef(this.db, orderId, subscriber),
        fulfilmentAfter(now, eventId, { attempt: 0 }),
      );
    }
    return 'reset';
  }
}

function claimable(record: DeadLetterRecord, now: Date): boolean {
  if (record.state === 'dead-lettered') return true;
  return record.state === 'replaying' && (record.claimedUntil ?? 0) <= now.getTime();
}
