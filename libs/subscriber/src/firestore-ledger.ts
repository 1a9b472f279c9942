import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { deadLetteredFulfilment, type DeadLetterRecord } from './dead-letter-record.js';
import { deadLetterRef, deliveryRef, fulfilmentRef, type DeliveryDoc } from './firestore-paths.js';
import {
  fulfilmentAfter,
  type BeginOutcome,
  type DeliveryContext,
  type DeliveryKey,
  type DeliveryLedger,
  type Failure,
  type RecordOutcome,
} from './ledger.js';

export class FirestoreDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: Firestore) {}

  begin(delivery: DeliveryContext, now: Date, leaseMs: number): Promise<BeginOutcome> {
    const ref = this.ref(delivery);
    return this.db.runTransaction(async (tx): Promise<BeginOutcome> => {
      const doc = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (doc?.state === 'done') return { status: 'done' };
      if (doc?.state === 'processing' && doc.leaseUntil > now.getTime()) return { status: 'busy' };
      const attempt = (doc?.attempts ?? 0) + 1;
      tx.set(ref, {
        ...delivery,
        state: 'processing',
        attempts: attempt,
        leaseUntil: now.getTime() + leaseMs,
        completedSteps: doc?.completedSteps ?? [],
        updatedAt: now,
      });
      return { status: 'acquired', attempt, completedSteps: doc?.completedSteps ?? [] };
    });
  }

  async completeStep(delivery: DeliveryKey, step: string): Promise<void> {
    await this.ref(delivery).update({ completedSteps: FieldValue.arrayUnion(step) });
  }

  async complete(delivery: DeliveryContext, now: Date, attempt: number): Promise<void> {
    await this.finish(delivery, now, { attempt });
  }

  async fail(delivery: DeliveryContext, now: Date, failure: Failure): Promise<void> {
    await this.finish(delivery, now, { attempt: failure.attempt, failure });
  }

  /** A transaction, so that the ownership check of a failure and its write are one step. */
  private async finish(
    delivery: DeliveryContext,
    now: Date,
    outcome: { attempt: number; failure?: Failure },
  ) {
    const { failure } = outcome;
    const ref = this.ref(delivery);
    await this.db.runTransaction(async (tx) => {
      if (failure) {
        const current = (await tx.get(ref)).data() as DeliveryDoc | undefined;
        // A later attempt took over, already succeeded, or Pub/Sub gave up (the attempt outlived
        // the ack deadline) and the dead letter is recorded: this failure is old news.
        if (current?.state === 'done' || current?.state === 'dead-lettered') return;
        if (current?.attempts !== failure.attempt) return;
      }
      tx.update(ref, {
        state: failure ? 'failed' : 'done',
        leaseUntil: 0,
        lastError: failure?.error ?? FieldValue.delete(),
        updatedAt: now,
      }).set(
        fulfilmentRef(this.db, delivery.orderId, delivery.subscriber),
        fulfilmentAfter(now, delivery.eventId, outcome),
      );
    });
  }

  async reject(subscriber: string, messageKey: string, reason: string, now: Date): Promise<void> {
    await this.db
      .collection('rejections')
      .doc(`${subscriber}_${messageKey}`)
      .set(
        { subscriber, messageKey, reason, at: now, count: FieldValue.increment(1) },
        { merge: true },
      );
  }

  async lastError(subscriber: string, messageKey: string): Promise<string | undefined> {
    const id = `${subscriber}_${messageKey}`;
    const [delivery, rejection] = await Promise.all([
      this.db.collection('deliveries').doc(id).get(),
      this.db.collection('rejections').doc(id).get(),
    ]);
    return (
      (delivery.data() as { lastError?: string } | undefined)?.lastError ??
      (rejection.data() as { reason?: string } | undefined)?.reason
    );
  }

  recordDeadLetter(record: DeadLetterRecord): Promise<RecordOutcome> {
    const { eventId, orderId, subscriber } = record;
    const recordRef = deadLetterRef(this.db, subscriber, record.key);
    return this.db.runTransaction(async (tx): Promise<RecordOutcome> => {
      const delivery = eventId ? deliveryRef(this.db, { subscriber, eventId }) : undefined;
      const current = delivery && ((await tx.get(delivery)).data() as DeliveryDoc | undefined);
      if (current?.state === 'done' || current?.state === 'replaying') return 'stale';
      const attempts = record.attempts ?? current?.attempts;
      const complete = { ...record, attempts, reason: current?.lastError ?? record.reason };
      tx.set(recordRef, complete);
      if (delivery && current) tx.update(delivery, { state: 'dead-lettered', leaseUntil: 0 });
      if (orderId) {
        tx.set(fulfilmentRef(this.db, orderId, subscriber), deadLetteredFulfilment(complete));
      }
      return 'recorded';
    });
  }

  private ref(key: DeliveryKey) {
    return deliveryRef(this.db, key);
  }
}
