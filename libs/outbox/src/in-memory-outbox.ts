import type { Outbox, OutboxEntry, OutboxStatus, RelayFailure, SetAsideEntry } from './ports.js';

interface Entry extends OutboxEntry {
  publishedAt?: Date | undefined;
  leaseUntil?: number | undefined;
  failingSince?: Date | undefined;
  lastError?: string | undefined;
}

/** An outbox in memory, for tests; a store that commits events with its state extends it. */
export class InMemoryOutbox implements Outbox {
  readonly outbox = new Map<string, Entry>();
  readonly setAsideEntries = new Map<string, SetAsideEntry & { entry: OutboxEntry }>();

  /** What the store's transaction does with the event. */
  protected addToOutbox(entry: OutboxEntry): void {
    this.outbox.set(entry.event.id, { ...entry });
  }

  claimUnpublished(
    before: Date,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<OutboxEntry[]> {
    const claimable = [...this.outbox.values()]
      .filter(
        (e) => !e.publishedAt && e.createdAt <= before && (e.leaseUntil ?? 0) <= now.getTime(),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
    for (const entry of claimable) entry.leaseUntil = now.getTime() + leaseMs;
    return Promise.resolve(claimable.map(entryOf));
  }

  markPublished(eventId: string, now: Date): Promise<void> {
    const entry = this.outbox.get(eventId);
    if (entry) entry.publishedAt = now;
    return Promise.resolve();
  }

  recordFailure(eventId: string, { error, at, own }: RelayFailure): Promise<Date | undefined> {
    const entry = this.outbox.get(eventId);
    if (!entry) return Promise.resolve(undefined);
    entry.lastError = error;
    if (own) entry.failingSince ??= at;
    return Promise.resolve(entry.failingSince);
  }

  release(eventIds: readonly string[]): Promise<void> {
    for (const id of eventIds) {
      const entry = this.outbox.get(id);
      if (entry) entry.leaseUntil = undefined;
    }
    return Promise.resolve();
  }

  setAside(eventId: string, reason: string, now: Date): Promise<void> {
    const entry = this.outbox.get(eventId);
    if (entry && !entry.publishedAt) {
      this.outbox.delete(eventId);
      const orderId = entry.event.data.orderId;
      this.setAsideEntries.set(eventId, {
        eventId,
        orderId,
        reason,
        setAsideAt: now,
        entry: entryOf(entry),
      });
    }
    return Promise.resolve();
  }

  requeue(which: readonly string[] | 'all'): Promise<string[]> {
    const ids = which === 'all' ? [...this.setAsideEntries.keys()] : which;
    const requeued = ids.filter((id) => {
      const aside = this.setAsideEntries.get(id);
      if (!aside) return false;
      this.setAsideEntries.delete(id);
      this.addToOutbox(aside.entry);
      return true;
    });
    return Promise.resolve(requeued);
  }

  status(oldestLimit: number): Promise<OutboxStatus> {
    const pending = [...this.outbox.values()].filter((e) => !e.publishedAt);
    const oldest = pending.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const aside = [...this.setAsideEntries.values()].sort(
      (a, b) => b.setAsideAt.getTime() - a.setAsideAt.getTime(),
    );
    return Promise.resolve({
      pending: pending.length,
      published: this.outbox.size - pending.length,
      setAside: aside.length,
      latestSetAside: aside.slice(0, oldestLimit).map(({ entry: _entry, ...shown }) => shown),
      oldestPending: oldest.slice(0, oldestLimit).map(({ event, createdAt, lastError }) => ({
        eventId: event.id,
        orderId: event.data.orderId,
        createdAt,
        lastError,
      })),
    });
  }
}

const entryOf = ({ event, traceparent, createdAt }: OutboxEntry): OutboxEntry => ({
  event,
  traceparent,
  createdAt,
});
