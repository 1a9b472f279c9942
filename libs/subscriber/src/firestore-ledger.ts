import type { DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';
import { fieldValue } from '@orderflow/platform';
import { deadLetteredFulfilment, type DeadLetterRecord } from './dead-letter-record.js';
import { deadLetterRef, deliveryRef, fulfilmentRef, type DeliveryDoc } from './firestore-paths.js';
import {
  awaitingReplay,
  awaitsRedrive,
  deadLetterNews,
  fulfilmentAfter,
  unfinishedStates,
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
  type Settled,
} from './parts.js';

export class FirestoreDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: Firestore) {}

  begin(delivery: DeliveryContext, now: Date, leaseMs: number): Promise<BeginOutcome> {
    const ref = this.ref(delivery);
    return this.db.runTransaction(async (tx): Promise<BeginOutcome> => {
      const doc = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (doc?.state === 'done') return { status: 'done' };
      if (doc?.state === 'processing' && doc.leaseUntil > now.getTime()) return { status: 'busy' };
      const attempt = (doc?.attempts ?? 0) + 1;
      // Merged: a delivery in parts keeps its parts and message across a replay.
      tx.set(
        ref,
        {
          ...delivery,
          state: 'processing',
          attempts: attempt,
          leaseUntil: now.getTime() + leaseMs,
          completedSteps: doc?.completedSteps ?? [],
          updatedAt: now,
        },
        { merge: true },
      );
      return { status: 'acquired', attempt, completedSteps: doc?.completedSteps ?? [] };
    });
  }

  async completeStep(delivery: DeliveryKey, step: string): Promise<void> {
    await this.ref(delivery).update({ completedSteps: fieldValue().arrayUnion(step) });
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
        lastError: failure?.error ?? fieldValue().delete(),
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
        { subscriber, messageKey, reason, at: now, count: fieldValue().increment(1) },
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

  recordDeadLetter(record: DeadLetterRecord, now: Date): Promise<RecordOutcome> {
    const { eventId, orderId, subscriber } = record;
    const recordRef = deadLetterRef(this.db, subscriber, record.key);
    return this.db.runTransaction(async (tx): Promise<RecordOutcome> => {
      const delivery = eventId ? deliveryRef(this.db, { subscriber, eventId }) : undefined;
      const [current, recorded] = await Promise.all([
        delivery && tx.get(delivery).then((doc) => doc.data() as DeliveryDoc | undefined),
        tx.get(recordRef).then((doc) => doc.data() as DeadLetterRecord | undefined),
      ]);
      const news = deadLetterNews(record, current, recorded, now);
      if (news !== 'recorded') return news;
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

  settlePushedParts(delivery: DeliveryContext, now: Date, pushed: PushedParts): Promise<void> {
    const ref = this.ref(delivery);
    return this.db.runTransaction(async (tx) => {
      const current = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (current?.state !== 'processing' || current.attempts !== pushed.attempt) return;
      const settled = settlePushed(
        current.parts ?? {},
        pushed.outcomes,
        now.getTime(),
        pushed.policy,
      );
      this.writeParts(tx, ref, { delivery, message: pushed.message }, settled, now, {
        state: 'done',
        leaseUntil: 0,
        lastError: fieldValue().delete(),
        updatedAt: now,
        message: pushed.message,
        ...(pushed.outcomes.length > 0 && {
          completedSteps: fieldValue().arrayUnion(...pushed.outcomes.map((o) => o.name)),
        }),
      });
    });
  }

  async unrecorded(subscriber: string, eventIds: readonly string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const refs = eventIds.map((eventId) => this.ref({ subscriber, eventId }));
    const docs = await this.db.getAll(...refs, { fieldMask: ['state'] });
    return eventIds.filter((_id, i) => !docs[i]?.exists);
  }

  /** Its query needs the index (subscriber, state, updatedAt) that the Pulumi program declares. */
  async stalled(subscriber: string, before: Date, now: Date, limit: number) {
    const snapshot = await this.db
      .collection('deliveries')
      .where('subscriber', '==', subscriber)
      .where('state', 'in', unfinishedStates)
      .where('updatedAt', '<=', before)
      .orderBy('updatedAt')
      .limit(limit)
      .get();
    return snapshot.docs
      .map((doc) => doc.data() as DeliveryDoc)
      .filter((doc) => awaitsRedrive(standingOf(doc), before, now))
      .map(({ eventId }) => ({ subscriber, eventId }));
  }

  redrive(delivery: DeliveryContext, now: Date, before: Date, replay: string): Promise<boolean> {
    const ref = this.ref(delivery);
    return this.db.runTransaction(async (tx) => {
      const current = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (!awaitsRedrive(current && standingOf(current), before, now)) return false;
      const fresh = current ? {} : { attempts: 0, completedSteps: [] };
      tx.set(ref, { ...delivery, ...fresh, ...awaitingReplay(now, replay) }, { merge: true });
      return true;
    });
  }

  async dueParts(subscriber: string, now: Date, limit: number): Promise<DeliveryKey[]> {
    const snapshot = await this.db
      .collection('deliveries')
      .where('subscriber', '==', subscriber)
      .where('partsDueAt', '<=', now.getTime())
      .orderBy('partsDueAt')
      .limit(limit)
      .select('subscriber', 'eventId')
      .get();
    return snapshot.docs.map((doc) => ({
      subscriber: String(doc.get('subscriber')),
      eventId: String(doc.get('eventId')),
    }));
  }

  claimParts(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    policy: PartPolicy,
  ): Promise<PartClaim | undefined> {
    const ref = this.ref(key);
    return this.db.runTransaction(async (tx): Promise<PartClaim | undefined> => {
      const current = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (!current?.parts || !current.message) return undefined;
      const due = claimDue(current.parts, now.getTime(), leaseMs, policy);
      if (due.claimed.length === 0 && due.deadLettered.length === 0) return undefined;
      const taken = { delivery: contextOf(current), message: current.message };
      const deadLettered = this.writeParts(tx, ref, taken, due, now, {});
      return { ...taken, parts: due.claimed, deadLettered };
    });
  }

  settleParts(
    claim: PartClaim,
    now: Date,
    outcomes: readonly PartOutcome[],
    policy: PartPolicy,
  ): Promise<DeadLetterRecord[]> {
    const ref = this.ref(claim.delivery);
    return this.db.runTransaction(async (tx) => {
      const current = (await tx.get(ref)).data() as DeliveryDoc | undefined;
      if (!current?.parts) return [];
      const settled = settle(current.parts, outcomes, now.getTime(), policy);
      return this.writeParts(tx, ref, claim, settled, now, {});
    });
  }

  /** The parts, their dead letters and the order's fulfilment, in the caller's transaction. */
  private writeParts(
    tx: Transaction,
    ref: DocumentReference,
    claim: Pick<PartClaim, 'delivery' | 'message'>,
    settled: Settled,
    now: Date,
    fields: Record<string, unknown>,
  ): DeadLetterRecord[] {
    const { delivery } = claim;
    const records = settled.deadLettered.map(([name, part]) =>
      partDeadLetter(claim, name, part, now),
    );
    for (const record of records)
      tx.set(deadLetterRef(this.db, record.subscriber, record.key), record);
    tx.update(ref, {
      ...fields,
      parts: settled.parts,
      partsDueAt: nextDueAt(settled.parts) ?? fieldValue().delete(),
    }).set(
      fulfilmentRef(this.db, delivery.orderId, delivery.subscriber),
      partsFulfilment(delivery.eventId, settled.parts, now),
    );
    return records;
  }

  private ref(key: DeliveryKey) {
    return deliveryRef(this.db, key);
  }
}

const standingOf = (doc: DeliveryDoc) => ({
  state: doc.state,
  leaseUntil: doc.leaseUntil,
  updatedAt: doc.updatedAt?.toMillis() ?? 0,
});

const contextOf = (doc: DeliveryDoc): DeliveryContext => ({
  subscriber: doc.subscriber,
  eventId: doc.eventId,
  orderId: doc.orderId,
  eventType: doc.eventType,
});
