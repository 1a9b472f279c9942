import type {
  Firestore,
  QueryDocumentSnapshot,
  Timestamp,
  Transaction,
  WriteBatch,
} from '@google-cloud/firestore';
import type { CloudEvent } from '@orderflow/events';
import { fieldValue } from '@orderflow/platform';
import pMap from 'p-map';
import type { Outbox, OutboxEntry, OutboxStatus, RelayFailure } from './ports.js';

/**
 * Where an entry the relay cannot publish goes, beside its outbox (`outbox` → `outboxSetAside`):
 * out of the relay's query, never deleted.
 */
export const setAsideCollectionOf = (outbox: string) => `${outbox}SetAside`;

/**
 * How long a published entry stays, for whoever investigates an order's event; then the TTL
 * policy the Pulumi program declares on `expiresAt` deletes it (the emulator keeps it).
 */
export const publishedRetentionMs = 7 * 24 * 60 * 60 * 1000;

/** gRPC FAILED_PRECONDITION: the entry changed since it was read. */
const failedPreconditionCode = 9;
/** gRPC NOT_FOUND: the entry is gone (set aside). */
const notFoundCode = 5;

interface OutboxDoc {
  event: CloudEvent;
  traceparent?: string;
  createdAt: Timestamp;
  publishedAt: Timestamp | null;
  /** Firestore's TTL policy on this field deletes a published entry. */
  expiresAt?: Timestamp;
  relayLeaseUntil?: Timestamp;
  /** Every failed publish, an outage's included: for whoever investigates. */
  relayFailures?: number;
  lastRelayError?: string;
  /** The first of the entry's own failures: its budget runs from there. */
  failingSince?: Timestamp;
}

interface SetAsideDoc extends OutboxDoc {
  reason: string;
  setAsideAt: Timestamp;
}

/** The order service's outbox collection; every publishing service has its own. */
export const orderOutboxCollection = 'outbox';

/**
 * `{collection}/{eventId}`, written in the transaction of the state change the event reports
 * (`addToOutbox`). The relay's query needs the composite index (publishedAt, createdAt) that
 * the Pulumi program declares on each outbox collection.
 */
export class FirestoreOutbox implements Outbox {
  constructor(
    private readonly db: Firestore,
    private readonly collectionName: string = orderOutboxCollection,
  ) {}

  private get collection() {
    return this.db.collection(this.collectionName);
  }

  private get setAsideCollection() {
    return this.db.collection(setAsideCollectionOf(this.collectionName));
  }

  /** Records the event, unpublished, in the caller's transaction or atomic batch. */
  add(writer: Transaction | WriteBatch, entry: OutboxEntry): void {
    writer.create(this.collection.doc(entry.event.id), {
      event: entry.event,
      traceparent: entry.traceparent,
      createdAt: entry.createdAt,
      publishedAt: null,
    });
  }

  /**
   * No transaction: a transactional query would hold back the orders' own transactions. Each
   * entry is leased by a write that succeeds only if the entry is unchanged since the query read
   * it, so of two relays racing for an entry exactly one gets it. The query cannot leave out
   * leased entries (a second inequality), so it pages past them: those a pass failed to publish
   * stay leased at the head of the order until the pass ends, and a short batch ends the pass.
   */
  async claimUnpublished(
    before: Date,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<OutboxEntry[]> {
    const oldestFirst = this.collection
      .where('publishedAt', '==', null)
      .where('createdAt', '<=', before)
      .orderBy('createdAt')
      .limit(limit);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed: OutboxEntry[] = [];
    let page = await oldestFirst.get();
    for (;;) {
      const free = (page.docs as QueryDocumentSnapshot<OutboxDoc>[])
        .filter((doc) => (doc.data().relayLeaseUntil?.toMillis() ?? 0) <= now.getTime())
        .slice(0, limit - claimed.length);
      claimed.push(...(await lease(free, leaseUntil)));
      const last = page.docs.at(-1);
      if (claimed.length >= limit || page.docs.length < limit || !last) return claimed;
      page = await oldestFirst.startAfter(last).get();
    }
  }

  async markPublished(eventId: string, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + publishedRetentionMs);
    await this.collection.doc(eventId).update({ publishedAt: now, expiresAt });
  }

  recordFailure(eventId: string, { error, at, own }: RelayFailure): Promise<Date | undefined> {
    const ref = this.collection.doc(eventId);
    return this.db.runTransaction(async (tx) => {
      const doc = (await tx.get(ref)).data() as OutboxDoc | undefined;
      // Set aside or requeued meanwhile: not this pass's to count.
      if (!doc) return undefined;
      const failingSince = doc.failingSince?.toDate() ?? (own ? at : undefined);
      tx.update(ref, {
        relayFailures: (doc.relayFailures ?? 0) + 1,
        lastRelayError: error,
        ...(failingSince && { failingSince }),
      });
      return failingSince;
    });
  }

  /** Each by its own write: one entry set aside meanwhile (deleted here) fails only its own. */
  async release(eventIds: readonly string[]): Promise<void> {
    await Promise.all(
      eventIds.map(async (id) => {
        try {
          await this.collection.doc(id).update({ relayLeaseUntil: fieldValue().delete() });
        } catch (error) {
          if ((error as { code?: unknown }).code !== notFoundCode) throw error;
        }
      }),
    );
  }

  /** One transaction moves it, so the event is in exactly one of the two collections. */
  async setAside(eventId: string, reason: string, now: Date): Promise<void> {
    const ref = this.collection.doc(eventId);
    await this.db.runTransaction(async (tx) => {
      const doc = (await tx.get(ref)).data() as OutboxDoc | undefined;
      if (!doc || doc.publishedAt) return;
      const { relayLeaseUntil: _lease, ...kept } = doc;
      tx.set(this.setAsideCollection.doc(eventId), {
        ...kept,
        reason,
        setAsideAt: now,
      }).delete(ref);
    });
  }

  /**
   * Each entry in a transaction of its own, so that the event is in exactly one of the two
   * collections; a few at a time, for `all` may be an outage's worth.
   */
  async requeue(which: readonly string[] | 'all'): Promise<string[]> {
    const ids = which === 'all' ? await this.setAsideIds() : which;
    const requeued = await pMap(ids, async (id) => ((await this.requeueOne(id)) ? id : undefined), {
      concurrency: 16,
    });
    return requeued.filter((id) => id !== undefined);
  }

  private requeueOne(eventId: string): Promise<boolean> {
    const aside = this.setAsideCollection.doc(eventId);
    return this.db.runTransaction(async (tx) => {
      const doc = (await tx.get(aside)).data() as SetAsideDoc | undefined;
      if (!doc) return false;
      const { reason: _reason, setAsideAt: _at, ...entry } = doc;
      tx.create(this.collection.doc(eventId), withoutRelayFields(entry)).delete(aside);
      return true;
    });
  }

  /** Ids only: an outage may have set thousands aside. */
  private async setAsideIds(): Promise<string[]> {
    return (await this.setAsideCollection.select().get()).docs.map((doc) => doc.id);
  }

  async status(oldestLimit: number): Promise<OutboxStatus> {
    const unpublished = this.collection.where('publishedAt', '==', null);
    const setAside = this.setAsideCollection;
    const [pending, oldest, total, asideCount, aside] = await Promise.all([
      unpublished.count().get(),
      unpublished.orderBy('createdAt').limit(oldestLimit).get(),
      this.collection.count().get(),
      setAside.count().get(),
      setAside.orderBy('setAsideAt', 'desc').limit(oldestLimit).get(),
    ]);
    return {
      pending: pending.data().count,
      published: total.data().count - pending.data().count,
      setAside: asideCount.data().count,
      latestSetAside: aside.docs.map((doc) => {
        const { event, reason, setAsideAt } = doc.data() as SetAsideDoc;
        return {
          eventId: doc.id,
          // A set-aside event may be malformed: show its order id only when it has one.
          orderId: orderIdOf(event),
          reason,
          setAsideAt: setAsideAt.toDate(),
        };
      }),
      oldestPending: oldest.docs.map((doc) => {
        const { event, createdAt, lastRelayError } = doc.data() as OutboxDoc;
        return {
          eventId: event.id,
          orderId: event.data.orderId,
          createdAt: createdAt.toDate(),
          lastError: lastRelayError,
        };
      }),
    };
  }
}

/** Leases each entry unless it changed since it was read; gives those it leased. */
async function lease(
  docs: QueryDocumentSnapshot<OutboxDoc>[],
  leaseUntil: Date,
): Promise<OutboxEntry[]> {
  const leased = await Promise.all(
    docs.map(async (doc) => {
      try {
        await doc.ref.update({ relayLeaseUntil: leaseUntil }, { lastUpdateTime: doc.updateTime });
        return doc;
      } catch (error) {
        if ((error as { code?: unknown }).code === failedPreconditionCode) return undefined;
        throw error;
      }
    }),
  );
  return leased
    .filter((doc) => doc !== undefined)
    .map((doc) => {
      const { event, traceparent, createdAt } = doc.data();
      return { event, traceparent, createdAt: createdAt.toDate() };
    });
}

/** The entry without what the relay recorded of its work on it: requeued, it starts afresh. */
function withoutRelayFields(doc: OutboxDoc): OutboxDoc {
  const {
    relayLeaseUntil: _lease,
    relayFailures: _failures,
    lastRelayError: _error,
    failingSince: _since,
    ...entry
  } = doc;
  return entry;
}

function orderIdOf(event: unknown): string {
  const orderId = (event as { data?: { orderId?: unknown } } | undefined)?.data?.orderId;
  return typeof orderId === 'string' ? orderId : '';
}
