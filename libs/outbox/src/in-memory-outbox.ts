import type { Outbox, OutboxEntry, OutboxStatus, SetAsideEntry } from './ports.js';

/** An outbox in memory, for tests; a store that commits events with its state extends it. */
export class InMemoryOutbox implements Outbox {
  readonly outbox = new Map<
    string,
    OutboxEntry & { publishedAt?: Date; leaseUntil?: number; failures?: number }
  >();
  readonly setAsideEntries = new Map<string, SetAsideEntry>();

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
    return Promise.resolve(
      claimable.map(({ event, traceparent, createdAt }) => ({ event, traceparent, createdAt })),
    );
  }

  markPublished(eventId: string, now: Date): Promise<void> {
    const entry = this.outbox.get(eventId);
    if (entry) entry.publishedAt = now;
    return Promise.resolve();
  }

  recordFailure(eventId: string): Promise<number> {
    const entry = this.outbox.get(eventId);
    if (!entry) return Promise.resolve(0);
    entry.failures = (entry.failures ?? 0) + 1;
    return Promise.resolve(entry.failures);
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
      this.setAsideEntries.set(eventId, { eventId, orderId, reason, setAsideAt: now });
    }
    return Promise.resolve();
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
      latestSetAside: aside.slice(0, oldestLimit),
      oldestPending: oldest.slice(0, oldestLimit).map(({ event, createdAt }) => ({
        eventId: event.id,
        orderId: event.data.orderId,
        createdAt,
      })),
    });
  }
}
