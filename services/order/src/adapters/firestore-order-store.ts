import { createHash, randomInt } from 'node:crypto';
import type {
  CollectionReference,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  Query,
  Timestamp,
} from '@google-cloud/firestore';
import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import { FirestoreOutbox } from '@orderflow/outbox';
import { AppError, firestoreLibrary } from '@orderflow/platform';
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
import { pause, within } from './deadline.js';
import { levelOf, readShards, stockOf, unchangedSince } from './firestore-stock.js';

export interface StoreLimits {
  /** How long one request's store work may take, all attempts together. */
  timeoutMs: number;
  /** How many times an order is tried when other orders changed its stock meanwhile. */
  maxAttempts: number;
}

export const defaultStoreLimits: StoreLimits = { timeoutMs: 5000, maxAttempts: 20 };

/**
 * gRPC codes of a commit that lost a race and wrote nothing: a document it read changed
 * (FAILED_PRECONDITION), a shard was removed by a re-shard (NOT_FOUND), the same Idempotency-Key
 * was just used (ALREADY_EXISTS), or Firestore aborted it (ABORTED).
 */
const lostRace = new Set([5, 6, 9, 10]);
/** Backoff between attempts: full jitter (AWS's "Exponential Backoff and Jitter") up to this. */
const backoffCapMs = 200;
const backoffBaseMs = 10;

/** The least time left in which a commit is started. */
const commitReserveMs = 500;
const busy = () =>
  new AppError('busy', 'too many concurrent orders for these products, retry shortly');

/** What one attempt read: the key, this order (if an earlier attempt committed it), the products. */
interface Reads {
  key: DocumentSnapshot | undefined;
  own: DocumentSnapshot | undefined;
  products: DocumentSnapshot[];
  shards: Map<string, DocumentSnapshot[]>;
}

export class FirestoreOrderStore implements OrderStore {
  private readonly outbox: FirestoreOutbox;

  constructor(
    private readonly db: Firestore,
    private readonly limits: StoreLimits = defaultStoreLimits,
  ) {
    this.outbox = new FirestoreOutbox(db);
  }

  // Getters, not fields: the client is not touched (nor its library loaded) before a request.
  private get products(): CollectionReference {
    return this.db.collection('products');
  }

  private get orders(): CollectionReference {
    return this.db.collection('orders');
  }

  /** The page's products, then the shards of the sharded ones in one more call. */
  async listProducts({
    limit,
    after,
  }: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>> {
    const deadline = this.deadline();
    const sorted = this.products.orderBy('name').orderBy(firestoreLibrary().FieldPath.documentId());
    const docs = await within(
      deadline,
      pageQuery(sorted, limit, after && [after.name, after.id]),
      'listing the products',
    );
    const shards = await within(deadline, readShards(this.db, docs), 'reading the stock');
    return pageOf(
      docs.map((doc) => toProduct(doc, shards.get(doc.id))),
      limit,
      ({ name, id }) => ({ name, id }),
    );
  }

  /** Needs the composite index (customer.id, createdAt desc, __name__ desc) that infra declares. */
  async listOrdersOf(
    customerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<Order, OrderPosition>> {
    const sorted = this.orders
      .where('customer.id', '==', customerId)
      .orderBy('createdAt', 'desc')
      .orderBy(firestoreLibrary().FieldPath.documentId(), 'desc');
    const docs = await within(
      this.deadline(),
      pageQuery(sorted, limit, after && [after.createdAt, after.id]),
      'listing the orders',
    );
    return pageOf(
      docs.map((doc) => doc.data() as Order),
      limit,
      ({ createdAt, id }) => ({ createdAt, id }),
    );
  }

  async findOrder(orderId: string): Promise<OrderView | undefined> {
    const orderRef = this.orders.doc(orderId);
    const [order, fulfilment] = await within(
      this.deadline(),
      Promise.all([orderRef.get(), this.db.collection(fulfilmentCollection(orderId)).get()]),
      'reading the order',
    );
    if (!order.exists) return undefined;
    return {
      order: order.data() as Order,
      fulfilment: Object.fromEntries(
        fulfilment.docs.map((doc) => [doc.id, doc.data() as FulfilmentRecord]),
      ),
    };
  }

  /**
   * Optimistic, without a transaction: read the key and the stock, decide, then commit one atomic
   * batch in which every stock write holds only if its document is unchanged since the read
   * (`lastUpdateTime`) and the order, its outbox entry and a new key are created (they must not
   * exist). A batch that lost a race wrote nothing and is tried again from the reads. The
   * emulator's transactions deadlock on one hot document; real Firestore's would queue on it.
   */
  async placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome> {
    const deadline = Math.min(command.deadline?.getTime() ?? Infinity, this.deadline());
    const key = command.idempotency && this.idempotencyRef(command.idempotency);
    for (let attempt = 1; ; attempt++) {
      // After a commit that lost a race, also look for this order: Firestore's client may have
      // retried a commit that had in fact been applied.
      const reads = await within(deadline, this.read(command, key, attempt > 1), 'reading stock');
      const known = await this.known(command, reads, deadline);
      if (known) return known;
      // A commit cut off by the deadline may still be applied: rather not start one so late.
      if (deadline - Date.now() < commitReserveMs) throw busy();
      const outcome = await this.tryCommit(command, key, reads, deadline);
      if (outcome) return outcome;
      const backoff = randomInt(Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt) + 1);
      if (attempt >= this.limits.maxAttempts || Date.now() + backoff >= deadline) {
        throw busy();
      }
      await pause(backoff);
    }
  }

  private async read(
    command: PlaceOrderCommand,
    key: DocumentReference | undefined,
    lookForOwn: boolean,
  ): Promise<Reads> {
    const own = lookForOwn ? this.orders.doc(command.orderId) : undefined;
    const refs = [
      ...(key ? [key] : []),
      ...(own ? [own] : []),
      ...command.items.map((item) => this.products.doc(item.productId)),
    ];
    const snapshots = await this.db.getAll(...refs);
    const first = (present: unknown) => (present ? snapshots.shift() : undefined);
    const [keySnapshot, ownSnapshot] = [first(key), first(own)];
    return {
      key: keySnapshot,
      own: ownSnapshot,
      products: snapshots,
      shards: await readShards(this.db, snapshots),
    };
  }

  /** This order, committed by an earlier attempt, or the one its key placed before. */
  private async known(
    command: PlaceOrderCommand,
    reads: Reads,
    deadline: number,
  ): Promise<PlaceOrderOutcome | undefined> {
    if (reads.own?.exists) {
      const order = reads.own.data() as Order;
      return { kind: 'placed', order, event: orderPlaced(order, command.eventId) };
    }
    if (!command.idempotency) return undefined;
    const orderId = earlierOrder(toRecord(reads.key), command.idempotency, command.now);
    if (!orderId) return undefined;
    const snapshot = await within(deadline, this.orders.doc(orderId).get(), 'reading the order');
    if (!snapshot.exists) throw new Error(`idempotency key points to missing order ${orderId}`);
    return { kind: 'replayed', order: snapshot.data() as Order };
  }

  /** The placed order, or undefined when the batch lost a race and wrote nothing. */
  private async tryCommit(
    command: PlaceOrderCommand,
    key: DocumentReference | undefined,
    reads: Reads,
    deadline: number,
  ): Promise<PlaceOrderOutcome | undefined> {
    const catalog = new Map(
      reads.products
        .filter((s) => s.exists)
        .map((s) => [s.id, toProduct(s, reads.shards.get(s.id))]),
    );
    const { order, stock } = placeOrder({ ...command, products: catalog });
    const event = orderPlaced(order, command.eventId);
    const batch = this.db.batch();
    const read = new Map(reads.products.map((snapshot) => [snapshot.id, snapshot]));
    for (const level of stock) {
      // The decision priced only products that were read, so each one is in `read`.
      const product = read.get(level.productId);
      if (!product) throw new Error(`product ${level.productId} was not read`);
      const shards = reads.shards.get(product.id);
      if (!shards) {
        batch.update(product.ref, { stock: level.stock }, unchangedSince(product));
        continue;
      }
      const levels = shards.map(levelOf);
      const taken = takeFromShards(levels, sum(levels) - level.stock, randomInt(shards.length));
      for (const [index, left] of taken ?? []) {
        const shard = shards[index];
        if (shard) batch.update(shard.ref, { stock: left }, unchangedSince(shard));
      }
    }
    batch.create(this.orders.doc(order.id), order);
    this.outbox.add(batch, { event, traceparent: command.traceparent, createdAt: command.now });
    if (key && command.idempotency) {
      const record = idempotencyRecord(command.idempotency, order.id, command.now);
      // An expired key is replaced, on the condition that no one else replaced it first.
      if (reads.key?.exists) batch.update(key, record, unchangedSince(reads.key));
      else batch.create(key, record);
    }
    try {
      // Past the deadline the commit's outcome is unknown: the README tells the client to retry
      // with the same Idempotency-Key, which then answers with this order if it was applied.
      await within(deadline, batch.commit(), 'committing the order');
      return { kind: 'placed', order, event };
    } catch (error) {
      if (lostRace.has((error as { code?: unknown }).code as number)) return undefined;
      throw error;
    }
  }

  private deadline(): number {
    return Date.now() + this.limits.timeoutMs;
  }

  private idempotencyRef(key: IdempotencyKey) {
    const id = createHash('sha256').update(`${key.customerId}\n${key.key}`).digest('hex');
    return this.db.collection('idempotencyKeys').doc(id);
  }
}

/** One more document than the page holds, so that `pageOf` knows whether another page follows. */
async function pageQuery(sorted: Query, limit: number, after: string[] | undefined) {
  const query = after ? sorted.startAfter(...after) : sorted;
  return (await query.limit(limit + 1).get()).docs;
}

function toRecord(snapshot: DocumentSnapshot | undefined): IdempotencyRecord | undefined {
  const data = snapshot?.data() as
    (Omit<IdempotencyRecord, 'expiresAt'> & { expiresAt: Timestamp }) | undefined;
  return data && { ...data, expiresAt: data.expiresAt.toDate() };
}

/** The product as an order sees it: its stock is what its shards hold together. */
function toProduct(snapshot: DocumentSnapshot, shards?: readonly DocumentSnapshot[]): Product {
  const { stockShards: _layout, ...fields } = snapshot.data() as Omit<Product, 'id'> & {
    stockShards?: number;
  };
  return { id: snapshot.id, ...fields, stock: stockOf(snapshot, shards) };
}
