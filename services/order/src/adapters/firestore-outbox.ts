import type { Firestore, QueryDocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import type { CloudEvent } from '@orderflow/events';
import type { Outbox, OutboxEntry, OutboxStatus } from '../ports.js';

interface OutboxDoc {
  event: CloudEvent;
  traceparent?: string;
  createdAt: Timestamp;
  publishedAt: Timestamp | null;
  relayLeaseUntil?: Timestamp;
}

/**
 * `outbox/{eventId}`, written in the order's transaction. The relay's query needs the
 * composite index (publishedAt, createdAt) that the Pulumi program declares.
 */
export class FirestoreOutbox implements Outbox {
  constructor(private readonly db: Firestore) {}

  private get collection() {
    return this.db.collection('outbox');
  }

  claimUnpublished(
    before: Date,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<OutboxEntry[]> {
    const query = this.collection
      .where('publishedAt', '==', null)
      .where('createdAt', '<=', before)
      .orderBy('createdAt')
      .limit(limit);
    return this.db.runTransaction(async (tx) => {
      const unpublished = (await tx.get(query)).docs as QueryDocumentSnapshot<OutboxDoc>[];
      const free = unpublished.filter((doc) => {
        const lease = doc.data().relayLeaseUntil;
        return !lease || lease.toMillis() <= now.getTime();
      });
      for (const doc of free) {
        tx.update(doc.ref, { relayLeaseUntil: new Date(now.getTime() + leaseMs) });
      }
      return free.map((doc) => {
        const { event, traceparent, createdAt } = doc.data();
        return { event, traceparent, createdAt: createdAt.toDate() };
      });
    });
  }

  async markPublished(eventId: string, now: Date): Promise<void> {
    await this.collection.doc(eventId).update({ publishedAt: now });
  }

  async deletePublished(before: Date, limit: number): Promise<number> {
    const expired = await this.collection.where('publishedAt', '<', before).limit(limit).get();
    if (expired.empty) return 0;
    const batch = this.db.batch();
    for (const doc of expired.docs) batch.delete(doc.ref);
    await batch.commit();
    return expired.size;
  }

  async status(oldestLimit: number): Promise<OutboxStatus> {
    const unpublished = this.collection.where('publishedAt', '==', null);
    const [pending, oldest, total] = await Promise.all([
      unpublished.count().get(),
      unpublished.orderBy('createdAt').limit(oldestLimit).get(),
      this.collection.count().get(),
    ]);
    return {
      pending: pending.data().count,
      published: total.data().count - pending.data().count,
      oldestPending: oldest.docs.map((doc) => {
        const { event, createdAt } = doc.data() as OutboxDoc;
        return { eventId: event.id, orderId: event.data.orderId, createdAt: createdAt.toDate() };
      }),
    };
  }
}
