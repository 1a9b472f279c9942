import type { Firestore, Transaction } from '@google-cloud/firestore';
import { deadLetterCollection, type DeadLetterRecord } from './dead-letter-record.js';
import { deadLetterRef, deliveryRef, fulfilmentRef, type DeliveryDoc } from './firestore-paths.js';
import { fulfilmentAfter } from './ledger.js';

/**
 * What claiming a dead letter for replay found. `claimed`: reserved to the caller, its delivery
 * reset; publish it, then `finish`. `requeued`: a part its subscriber retries itself, handed back
 * to it (nothing to publish). `done`: the delivery succeeded meanwhile, the letter is settled.
 * `busy`: an attempt is running; try later. `taken`: gone, replayed, or claimed by another replay.
 */
export type ClaimOutcome = 'claimed' | 'requeued' | 'done' | 'busy' | 'taken';

/**
 * Hands one failed part of a delivery back to the subscriber that retries it (the seller's
 * webhooks), inside the claim's transaction; it reads before it writes, as Firestore requires.
 */
export type RequeuePart = (tx: Transaction, record: DeadLetterRecord, now: Date) => Promise<void>;

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

  claim(record: DeadLetterRecord, now: Date, requeuePart?: RequeuePart): Promise<ClaimOutcome> {
    const ref = deadLetterRef(this.db, record.subscriber, record.key);
    return this.db.runTransaction(async (tx): Promise<ClaimOutcome> => {
      const current = (await tx.get(ref)).data() as DeadLetterRecord | undefined;
      if (!current || !claimable(current, now)) return 'taken';
      const settled = { state: 'replayed', replayedAt: now.toISOString(), claimedUntil: null };
      if (current.part) {
        if (!requeuePart) throw new Error(`${current.subscriber} has no way to requeue a part`);
        await requeuePart(tx, current, now);
        tx.update(ref, settled);
        return 'requeued';
      }
      if (current.eventId) {
        const outcome = await this.resetDelivery(tx, current, now);
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

  /** The next delivery starts afresh: a new count of attempts, the order's record `pending`. */
  private async resetDelivery(
    tx: Transaction,
    record: DeadLetterRecord,
    now: Date,
  ): Promise<'reset' | 'done' | 'busy'> {
    const eventId = record.eventId ?? '';
    const ref = deliveryRef(this.db, { subscriber: record.subscriber, eventId });
    const delivery = (await tx.get(ref)).data() as DeliveryDoc | undefined;
    if (delivery?.state === 'done') return 'done';
    if (delivery?.state === 'processing' && delivery.leaseUntil > now.getTime()) return 'busy';
    if (delivery)
      tx.update(ref, { state: 'replaying', attempts: 0, leaseUntil: 0, updatedAt: now });
    if (record.orderId) {
      tx.set(
        fulfilmentRef(this.db, record.orderId, record.subscriber),
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
