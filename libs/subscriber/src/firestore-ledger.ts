import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { fulfilmentCollection } from '@orderflow/events';
import {
  fulfilmentAfter,
  type BeginOutcome,
  type DeliveryContext,
  type DeliveryKey,
  type DeliveryLedger,
  type Failure,
} from './ledger.js';

interface DeliveryDoc {
  state: 'processing' | 'failed' | 'done';
  attempts: number;
  leaseUntil: number;
  completedSteps: string[];
}

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
        // A later attempt took over, or already succeeded: this failure is old news.
        if (current?.state === 'done' || current?.attempts !== failure.attempt) return;
      }
      tx.update(ref, {
        state: failure ? 'failed' : 'done',
        leaseUntil: 0,
        lastError: failure?.error ?? FieldValue.delete(),
        updatedAt: now,
      }).set(
        this.db.collection(fulfilmentCollection(delivery.orderId)).doc(delivery.subscriber),
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

  async resetForReplay(delivery: DeliveryContext, now: Date): Promise<void> {
    await this.db
      .batch()
      .set(
        this.ref(delivery),
        { ...delivery, attempts: 0, leaseUntil: 0, updatedAt: now },
        { merge: true },
      )
      .set(
        this.db.collection(fulfilmentCollection(delivery.orderId)).doc(delivery.subscriber),
        fulfilmentAfter(now, delivery.eventId, { attempt: 0 }),
      )
      .commit();
  }

  private ref(key: DeliveryKey) {
    return this.db.collection('deliveries').doc(`${key.subscriber}_${key.eventId}`);
  }
}
