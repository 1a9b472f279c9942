import type { CloudEvent, FulfilmentRecord } from '@orderflow/events';
import type { IdempotencyKey } from './domain/idempotency.js';
import type { Command, OrderRecord } from './domain/lifecycle.js';
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
  /** When the store must have answered: it then fails with `busy` and, where it can, writes nothing. */
  deadline?: Date | undefined;
}

/** A new order and its event; or, for a key already used, the order it placed then. */
export type PlaceOrderOutcome =
  { kind: 'placed'; order: Order; event: CloudEvent } | { kind: 'replayed'; order: Order };

export interface OrderView {
  order: OrderRecord;
  fulfilment: Record<string, FulfilmentRecord>;
}

export interface OrderStore {
  /** The catalog by name, then id. */
  listProducts(page: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>>;
  /** One customer's orders, newest first (then by id, descending). */
  listOrdersOf(
    customerId: string,
    page: PageRequest<OrderPosition>,
  ): Promise<Page<OrderRecord, OrderPosition>>;
  findOrder(orderId: string): Promise<OrderView | undefined>;
  /**
   * Atomically: looks up the idempotency key, and when it is new checks and reduces the stock of
   * every line, saves the order, writes its event to the outbox and records the key. Of two
   * requests with the same key one places the order, the other answers with it. A request that
   * fails writes nothing, except one whose commit was under way at its deadline: then a retry with
   * the same key finds the order if it was placed. Fails with `busy` rather than pass the deadline.
   */
  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome>;
}

export interface Authenticator {
  /** The customer a bearer token speaks for; rejects a token that does not verify. */
  authenticate(token: string): Promise<Customer>;
}

export interface TransitionCommand {
  orderId: string;
  /** The id of the event, should the command change the order. */
  eventId: string;
  command: Command;
  now: Date;
  traceparent?: string | undefined;
}

/** The order after the command, and its event when the command changed it. */
export type TransitionOutcome =
  | { kind: 'changed'; order: OrderRecord; event: CloudEvent }
  | { kind: 'unchanged'; order: OrderRecord };

export interface OrderTransitions {
  /**
   * In one commit, guarded against every other change of the order since it was read: the
   * order's new lifecycle, the stock of its cancelled lines restored and the event in the outbox.
   * Of two conflicting transitions at once, one commits and the other is decided again on the
   * order as it now is. Fails with `not-found`, a 409 code, or `busy` after too many lost races.
   */
  transition(command: TransitionCommand): Promise<TransitionOutcome>;
  /** The orders with a part of `sellerId`, newest first (then by id, descending). */
  listOrdersOfSeller(
    sellerId: string,
    page: PageRequest<OrderPosition>,
  ): Promise<Page<OrderRecord, OrderPosition>>;
}
