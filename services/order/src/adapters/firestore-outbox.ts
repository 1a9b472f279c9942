import type { Firestore, QueryDocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import type { CloudEvent } from '@orderflow/events';
import type { Outbox, OutboxEntry, OutboxStatus } from '../ports.js';

/**
 * How long a published entry stays, for whoever investigates an order's event; then the TTL
 * policy the Pulumi program declares on `expiresAt` deletes it (the emulator keeps it).
 */
export const publishedRetentionMs = 7 * 24 * 60 * 60 * 1000;

/** gRPC FAILED_PRECONDITION: the entry changed since it was read. */
const failedPreconditionCode = 9;

interface OutboxDoc {
  event: CloudEvent;
  traceparent?: string;
  createdAt: Timestamp;
  publishedAt: Timestamp | null;
  /** Firestore's TTL policy on this field deletes a published entry. */
  expiresAt?: Timestamp;
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

  /**
   * No transaction: a transactional query would hold back the orders' own transactions. Each
   * entry is leased by a write that succeeds only if the entry is unchanged since the query read
   * it, so of two relays racing for an entry exactly one gets it.
   */
  async claimUnpublished(
    before: Date,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<OutboxEntry[]> {
    const unpublished = await this.collection
      .where('publishedAt', '==', null)
      .where('createdAt', '<=', before)
      .orderBy('createdAt')
      .limit(limit)
      .get();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed = await Promise.all(
      (unpublished.docs as QueryDocumentSnapshot<OutboxDoc>[])
        .filter((doc) => (doc.data().relayLeaseUntil?.toMillis() ?? 0) <= now.getTime())
        .map(async (doc) => {
          try {
            await doc.ref.update(
              { relayLeaseUntil: leaseUntil },
              { lastUpdateTime: doc.updateTime },
            );
            return doc;
          } catch (error) {
            if ((error as { code?: unknown }).code === failedPreconditionCode) return undefined;
            throw error;
          }
        }),
    );
    return claimed
      .filter((doc) => doc !== undefined)
      .map((doc) => {
        const { event, traceparent, createdAt } = doc.data();
        return { event, traceparent, createdAt: createdAt.toDate() };
      });
  }

  async markPublished(eventId: string, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + publishedRetentionMs);
    await this.collection.doc(eventId).update({ publishedAt: now, expiresAt });
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
