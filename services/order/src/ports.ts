import type { CloudEvent, FulfilmentRecord } from '@orderflow/events';
import type { IdempotencyKey } from './domain/idempotency.js';
import type { Customer, Order, OrderItem, Product } from './domain/order.js';
import type { OrderPosition, Page, PageRequest, ProductPosition } from './domain/paging.js';

export interface PlaceOrderCommand {
  orderId: string;
  eventId: string;
  customer: Customer;
  items: readonly OrderItem[];
  now: Date;
  traceparent?: string | undefined;
  idempotency?: IdempotencyKey | undefined;
}

/** A new order and its event; or, for a key already used, the order it placed then. */
export type PlaceOrderOutcome =
  { kind: 'placed'; order: Order; event: CloudEvent } | { kind: 'replayed'; order: Order };

export interface OrderView {
  order: Order;
  fulfilment: Record<string, FulfilmentRecord>;
}

export interface OutboxEntry {
  event: CloudEvent;
  /** The order's trace context, for a late publish to join. */
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
  oldestPending: { eventId: string; orderId: string; createdAt: Date }[];
}

/** The events committed with their orders, kept for a while after they are published. */
export interface Outbox {
  /**
   * Unpublished entries created before `before`, oldest first, each leased to the caller
   * until `now + leaseMs` so that a second relay running at the same time skips them.
   */
  claimUnpublished(before: Date, now: Date, leaseMs: number, limit: number): Promise<OutboxEntry[]>;
  /** The entry is published; the store deletes it once its retention has passed. */
  markPublished(eventId: string, now: Date): Promise<void>;
  /** Counts a failed publish of the entry; gives the count so far. */
  recordFailure(eventId: string, error: string): Promise<number>;
  /**
   * Moves an entry that cannot be published out of the relay's way, with the reason: it is
   * kept (never lost), listed by `outbox status`, and no longer taken by any relay.
   */
  setAside(eventId: string, reason: string, now: Date): Promise<void>;
  status(oldestLimit: number): Promise<OutboxStatus>;
}

export interface OrderStore {
  /** The catalog by name, then id. */
  listProducts(page: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>>;
  /** One customer's orders, newest first (then by id, descending). */
  listOrdersOf(
    customerId: string,
    page: PageRequest<OrderPosition>,
  ): Promise<Page<Order, OrderPosition>>;
  findOrder(orderId: string): Promise<OrderView | undefined>;
  /**
   * In one transaction: looks up the idempotency key, and when it is new checks and reduces
   * the stock of every line, saves the order, writes its event to the outbox and records the key.
   * Two requests with the same key are serialised by the transaction: the second sees the first's
   * order. A request that fails writes nothing.
   */
  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome>;
}

export interface EventPublisher {
  /**
   * Whether the outbox relay may publish later what this publisher could not. If so, a failed
   * publish leaves the order placed; if not (request-response delivery, for the benchmark only),
   * the subscribers' answers are the order's answer and the request fails with them.
   */
  readonly retriableLater: boolean;
  /**
   * Publishes within the active trace. `origin`, the order's trace context, is given when
   * publishing outside the order's request (the outbox relay): the message then carries it,
   * so the subscribers still join the order's trace, and the publish links to it.
   */
  publish(event: CloudEvent, origin?: string): Promise<void>;
}

export interface Authenticator {
  /** The customer a bearer token speaks for; rejects a token that does not verify. */
  authenticate(token: string): Promise<Customer>;
}
