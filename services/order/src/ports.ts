import type { CloudEvent, FulfilmentRecord } from '@orderflow/events';
import type { Customer, Order, OrderItem, Product } from './domain/order.js';

export interface IdempotencyClaim {
  customerId: string;
  key: string;
  /** Fingerprint of the request body: the same key with another body is refused. */
  requestHash: string;
}

export type ClaimOutcome =
  | { status: 'claimed' }
  | { status: 'completed'; orderId: string }
  | { status: 'in-flight' }
  | { status: 'mismatch' };

export interface PlaceOrderCommand {
  orderId: string;
  eventId: string;
  customer: Customer;
  items: readonly OrderItem[];
  now: Date;
  traceparent?: string | undefined;
  idempotency?: IdempotencyClaim | undefined;
}

export interface PlacedOrder {
  order: Order;
  event: CloudEvent;
}

export interface OrderView {
  order: Order;
  fulfilment: Record<string, FulfilmentRecord>;
}

export interface OutboxEntry {
  event: CloudEvent;
  traceparent?: string | undefined;
  createdAt: Date;
}

export interface OutboxStatus {
  pending: number;
  published: number;
  /** The oldest unpublished entries, oldest first: the ones to look at when the relay is stuck. */
  oldestPending: { eventId: string; orderId: string; createdAt: Date }[];
}

/** The events committed with their orders, until they are published and their retention ends. */
export interface Outbox {
  /**
   * Unpublished entries created before `before`, oldest first, each leased to the caller
   * until `now + leaseMs` so that a second relay running at the same time skips them.
   */
  claimUnpublished(before: Date, now: Date, leaseMs: number, limit: number): Promise<OutboxEntry[]>;
  markPublished(eventId: string, now: Date): Promise<void>;
  /** Deletes up to `limit` entries published before `before`; says how many it deleted. */
  deletePublished(before: Date, limit: number): Promise<number>;
  status(oldestLimit: number): Promise<OutboxStatus>;
}

export interface OrderStore {
  listProducts(): Promise<Product[]>;
  findOrder(orderId: string): Promise<OrderView | undefined>;
  /**
   * In one transaction: checks and reduces the stock of every line, saves the order,
   * writes its event to the outbox and completes the idempotency claim.
   */
  placeOrder(command: PlaceOrderCommand): Promise<PlacedOrder>;
  /** An in-flight claim older than `staleAfterMs` belongs to a request that died: it is taken over. */
  claimIdempotencyKey(
    claim: IdempotencyClaim,
    now: Date,
    staleAfterMs: number,
  ): Promise<ClaimOutcome>;
  releaseIdempotencyKey(claim: IdempotencyClaim): Promise<void>;
}

export interface EventPublisher {
  /**
   * Whether the outbox relay may publish later what this publisher could not. If so, a failed
   * publish leaves the order placed; if not (request-response delivery, for the benchmark only),
   * the subscribers' answers are the order's answer and the request fails with them.
   */
  readonly retriableLater: boolean;
  publish(event: CloudEvent, traceparent?: string): Promise<void>;
}

export interface Authenticator {
  /** The customer a bearer token speaks for; rejects a token that does not verify. */
  authenticate(token: string): Promise<Customer>;
}
