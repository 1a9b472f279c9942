import type { FulfilmentRecord } from '@orderflow/events';
import { firestoreIdProblem } from '@orderflow/platform';
import { orderPlaced } from '../domain/events.js';
import {
  earlierOrder,
  idempotencyRecord,
  type IdempotencyKey,
  type IdempotencyRecord,
} from '../domain/idempotency.js';
import { placeOrder, type Order, type Product } from '../domain/order.js';
import {
  pageOf,
  type OrderPosition,
  type Page,
  type PageRequest,
  type ProductPosition,
} from '../domain/paging.js';
import type {
  OrderStore,
  OrderView,
  Outbox,
  OutboxEntry,
  OutboxStatus,
  SetAsideEntry,
  PlaceOrderCommand,
  PlaceOrderOutcome,
} from '../ports.js';

/** The order store and its outbox in memory, for tests: the same decisions, one transaction at a time. */
export class InMemoryOrderStore implements OrderStore, Outbox {
  readonly products = new Map<string, Product>();
  readonly orders = new Map<string, Order>();
  readonly fulfilment = new Map<string, Record<string, FulfilmentRecord>>();
  readonly outbox = new Map<
    string,
    OutboxEntry & { publishedAt?: Date; leaseUntil?: number; failures?: number }
  >();
  readonly setAsideEntries = new Map<string, SetAsideEntry>();
  readonly idempotencyKeys = new Map<string, IdempotencyRecord>();
  private queue: Promise<unknown> = Promise.resolve();

  listProducts({
    limit,
    after,
  }: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>> {
    const byName = (p: ProductPosition) => [p.name, p.id] as const;
    const sorted = [...this.products.values()]
      .map((p) => ({ ...p }))
      .sort((a, b) => compare(byName(a), byName(b)))
      .filter((p) => !after || compare(byName(p), byName(after)) > 0);
    return Promise.resolve(pageOf(sorted, limit, ({ name, id }) => ({ name, id })));
  }

  listOrdersOf(
    customerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<Order, OrderPosition>> {
    const newest = (o: OrderPosition) => [o.createdAt, o.id] as const;
    const sorted = [...this.orders.values()]
      .filter((o) => o.customer.id === customerId)
      .sort((a, b) => compare(newest(b), newest(a)))
      .filter((o) => !after || compare(newest(o), newest(after)) < 0);
    return Promise.resolve(pageOf(sorted, limit, ({ createdAt, id }) => ({ createdAt, id })));
  }

  findOrder(orderId: string): Promise<OrderView | undefined> {
    return Promise.resolve().then(() => {
      const order = this.orders.get(documentId(orderId));
      return order && { order, fulfilment: this.fulfilment.get(orderId) ?? {} };
    });
  }

  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome> {
    return this.serially((): PlaceOrderOutcome => {
      for (const id of [
        command.orderId,
        command.eventId,
        ...command.items.map((i) => i.productId),
      ]) {
        documentId(id);
      }
      const key = command.idempotency;
      if (key) {
        const orderId = earlierOrder(this.idempotencyKeys.get(keyOf(key)), key, command.now);
        if (orderId) return { kind: 'replayed', order: this.orderPlacedBy(orderId) };
      }
      const { order, stock } = placeOrder({ ...command, products: this.products });
      const event = orderPlaced(order, command.eventId);
      for (const level of stock) {
        const product = this.products.get(level.productId);
        if (product) product.stock = level.stock;
      }
      this.orders.set(order.id, order);
      this.outbox.set(event.id, {
        event,
        traceparent: command.traceparent,
        createdAt: command.now,
      });
      if (key) this.idempotencyKeys.set(keyOf(key), idempotencyRecord(key, order.id, command.now));
      return { kind: 'placed', order, event };
    });
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

  private orderPlacedBy(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`idempotency key points to missing order ${orderId}`);
    return order;
  }

  private serially<T>(work: () => T): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** Compares field by field in code-unit order, as Firestore orders strings. */
function compare(a: readonly string[], b: readonly string[]): number {
  for (const [i, value] of a.entries()) {
    const other = b[i] ?? '';
    if (value !== other) return value < other ? -1 : 1;
  }
  return 0;
}

/** Refuses, as Firestore does, an id that cannot be one document's id: tests see what production does. */
function documentId(id: string): string {
  const problem = firestoreIdProblem(id);
  if (problem) throw new Error(`3 INVALID_ARGUMENT: document id ${JSON.stringify(id)} ${problem}`);
  return id;
}

const keyOf = (key: IdempotencyKey) => `${key.customerId}\n${key.key}`;
