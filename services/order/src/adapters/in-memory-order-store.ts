import { randomInt } from 'node:crypto';
import type { FulfilmentRecord } from '@orderflow/events';
import { InMemoryOutbox } from '@orderflow/outbox';
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
import { sum, takeFromShards } from '../domain/stock-shards.js';
import type { OrderStore, OrderView, PlaceOrderCommand, PlaceOrderOutcome } from '../ports.js';

/** The order store and its outbox in memory, for tests: the same decisions, one transaction at a time. */
export class InMemoryOrderStore extends InMemoryOutbox implements OrderStore {
  readonly products = new Map<string, Product>();
  readonly orders = new Map<string, Order>();
  readonly fulfilment = new Map<string, Record<string, FulfilmentRecord>>();
  readonly idempotencyKeys = new Map<string, IdempotencyRecord>();
  /** The shard levels of a sharded product, whose `stock` in `products` is then ignored. */
  readonly stockShards = new Map<string, number[]>();
  private queue: Promise<unknown> = Promise.resolve();

  listProducts({
    limit,
    after,
  }: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>> {
    // Firestore's startAfter takes the id as a document path: it throws on what it would.
    if (after) documentId(after.id);
    const byName = (p: ProductPosition) => [p.name, p.id] as const;
    const sorted = [...this.products.values()]
      .map((p) => ({ ...p, stock: this.stockOf(p) }))
      .sort((a, b) => compare(byName(a), byName(b)))
      .filter((p) => !after || compare(byName(p), byName(after)) > 0);
    return Promise.resolve(pageOf(sorted, limit, ({ name, id }) => ({ name, id })));
  }

  listOrdersOf(
    customerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<Order, OrderPosition>> {
    if (after) documentId(after.id);
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
      const catalog = new Map(
        [...this.products].map(([id, p]) => [id, { ...p, stock: this.stockOf(p) }]),
      );
      const { order, stock } = placeOrder({ ...command, products: catalog });
      const event = orderPlaced(order, command.eventId);
      for (const level of stock) this.reduce(level.productId, level.stock);
      this.orders.set(order.id, order);
      this.addToOutbox({ event, traceparent: command.traceparent, createdAt: command.now });
      if (key) this.idempotencyKeys.set(keyOf(key), idempotencyRecord(key, order.id, command.now));
      return { kind: 'placed', order, event };
    });
  }

  /** Sets a product's stock, or takes from its shards as the Firestore store does. */
  private reduce(productId: string, stock: number): void {
    const product = this.products.get(productId);
    const shards = this.stockShards.get(productId);
    if (!product) return;
    if (!shards) {
      product.stock = stock;
      return;
    }
    const taken = takeFromShards(shards, sum(shards) - stock, randomInt(shards.length));
    for (const [index, level] of taken ?? []) shards[index] = level;
  }

  private stockOf(product: Product): number {
    const shards = this.stockShards.get(product.id);
    return shards ? sum(shards) : product.stock;
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
