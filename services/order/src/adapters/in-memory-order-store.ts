import { randomInt } from 'node:crypto';
import type { FulfilmentRecord } from '@orderflow/events';
import { InMemoryOutbox, type OutboxEntry } from '@orderflow/outbox';
import { firestoreIdProblem } from '@orderflow/platform';
import { decideMember, newBatch, type Batch } from '../domain/batch.js';
import {
  earlierOrder,
  idempotencyRecord,
  type IdempotencyKey,
  type IdempotencyRecord,
} from '../domain/idempotency.js';
import { orderDocument, type OrderRecord } from '../domain/lifecycle.js';
import type { Order, Product } from '../domain/order.js';
import {
  pageOf,
  type OrderPosition,
  type Page,
  type PageRequest,
  type ProductPosition,
} from '../domain/paging.js';
import { sum } from '../domain/stock-shards.js';
import type { OrderStore, OrderView, PlaceOrderCommand, PlaceOrderOutcome } from '../ports.js';

/** The order store and its outbox in memory, for tests: the same decisions, one transaction at a time. */
export class InMemoryOrderStore extends InMemoryOutbox implements OrderStore {
  readonly products = new Map<string, Product>();
  readonly orders = new Map<string, OrderRecord>();
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
  ): Promise<Page<OrderRecord, OrderPosition>> {
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
      const { batch, decision } = decideMember(this.batchOfOne(command), command);
      if (decision.kind === 'refused') throw decision.error;
      // A batch of one has no earlier member with the same key.
      if (decision.kind !== 'placed') throw new Error('a batch of one replayed an order');
      const { order, event } = decision;
      for (const [id, { levels }] of batch.stock) this.setLevels(id, levels);
      this.orders.set(order.id, orderDocument(order));
      this.addToOutbox({ event, traceparent: command.traceparent, createdAt: command.now });
      if (key) this.idempotencyKeys.set(keyOf(key), idempotencyRecord(key, order.id, command.now));
      return { kind: 'placed', order, event };
    });
  }

  /** The command's products as the Firestore store reads them, decided as a batch of one. */
  private batchOfOne(command: PlaceOrderCommand): Batch {
    const ids = command.items.map((item) => item.productId).filter((id) => this.products.has(id));
    const stock = new Map(
      ids.map((id) => {
        const shards = this.stockShards.get(id);
        return [id, { levels: shards ?? [this.products.get(id)?.stock ?? 0], sharded: !!shards }];
      }),
    );
    return newBatch(this.products, stock, randomInt(1_000_000));
  }

  private setLevels(productId: string, levels: readonly number[]): void {
    const product = this.products.get(productId);
    if (this.stockShards.has(productId)) this.stockShards.set(productId, [...levels]);
    else if (product) product.stock = levels[0] ?? 0;
  }

  private stockOf(product: Product): number {
    const shards = this.stockShards.get(product.id);
    return shards ? sum(shards) : product.stock;
  }

  private orderPlacedBy(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (!order?.stockTaken) throw new Error(`idempotency key points to missing order ${orderId}`);
    return { ...order, stockTaken: order.stockTaken };
  }

  /** Saves a changed order with its event, as one commit (called within `serially`). */
  saveChange(order: OrderRecord, entry: OutboxEntry): void {
    this.orders.set(order.id, order);
    this.addToOutbox(entry);
  }

  /** Runs `work` alone, as every change of this store is: a transaction in memory. */
  serially<T>(work: () => T): Promise<T> {
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
