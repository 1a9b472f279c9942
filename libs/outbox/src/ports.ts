import type { CloudEvent } from '@orderflow/events';

export interface OutboxEntry {
  event: CloudEvent;
  /** The trace context of the state change, for a late publish to join. */
  traceparent?: string | undefined;
  createdAt: Date;
}

/** An entry the relay moved out of its way: kept, with why, for an operator to look at. */
export interface SetAsideEntry {
  eventId: string;
  orderId: string;
  reason: string;
  setAsideAt: Date;
}

export interface OutboxStatus {
  pending: number;
  published: number;
  setAside: number;
  /** The latest entries set aside, newest first. */
  latestSetAside: SetAsideEntry[];
  /** The oldest unpublished entries, oldest first: the ones to look at when the relay is stuck. */
  oldestPending: PendingEntry[];
}

export interface PendingEntry {
  eventId: string;
  orderId: string;
  createdAt: Date;
  /** Why the relay's last publish of it failed, if one did. */
  lastError?: string | undefined;
}

/** A publish of an entry that failed. */
export interface RelayFailure {
  error: string;
  at: Date;
  /**
   * The entry's own failure, which counts against its budget; not one of an outage, which every
   * entry meets alike and which never counts.
   */
  own: boolean;
}

/**
 * The events a service committed with its own state change, kept for a while after they are
 * published. The service's transaction writes the entry; the relay publishes what its request
 * could not.
 */
export interface Outbox {
  /**
   * Unpublished entries created before `before`, oldest first, each leased to the caller
   * until `now + leaseMs` so that a second relay running at the same time skips them.
   */
  claimUnpublished(before: Date, now: Date, leaseMs: number, limit: number): Promise<OutboxEntry[]>;
  /** The entry is published; the store deletes it once its retention has passed. */
  markPublished(eventId: string, now: Date): Promise<void>;
  /**
   * Records a failed publish of the entry. Gives when its own failures began (the first own one's
   * time, kept until the entry is published or requeued), or undefined if it has none.
   */
  recordFailure(eventId: string, failure: RelayFailure): Promise<Date | undefined>;
  /**
   * Ends the leases of entries the caller claimed and leaves unpublished, so that the next pass
   * takes them; an entry published or set aside meanwhile is left as it is.
   */
  release(eventIds: readonly string[]): Promise<void>;
  /**
   * Moves an entry that cannot be published out of the relay's way, with the reason: it is
   * kept (never lost), listed by `outbox status`, and no longer taken by any relay.
   */
  setAside(eventId: string, reason: string, now: Date): Promise<void>;
  /**
   * Puts entries set aside back, unpublished and with no failures, where the relay takes them:
   * in their old place, oldest first. `all` takes every entry set aside before the call. Gives
   * the ids requeued (an id not set aside is not one of them).
   */
  requeue(which: readonly string[] | 'all'): Promise<string[]>;
  status(oldestLimit: number): Promise<OutboxStatus>;
}

export interface EventPublisher {
  /**
   * Whether the outbox relay may publish later what this publisher could not. If so, a failed
   * publish leaves the state change committed; if not (request-response delivery, for the
   * benchmark only), the subscribers' answers are the caller's answer and it fails with them.
   */
  readonly retriableLater: boolean;
  /**
   * Publishes within the active trace. `origin`, the state change's trace context, is given
   * when publishing outside its request (the outbox relay): the message then carries it, so the
   * subscribers still join the change's trace, and the publish links to it.
   */
  publish(event: CloudEvent, origin?: string): Promise<void>;
}
