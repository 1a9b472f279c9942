import { createHash } from 'node:crypto';
import {
  FieldPath,
  type CollectionReference,
  type DocumentSnapshot,
  type Firestore,
  type Query,
  type Timestamp,
  type Transaction,
} from '@google-cloud/firestore';
import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import { FirestoreOutbox } from '@orderflow/outbox';
import { AppError } from '@orderflow/platform';
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
import { KeyedLock } from './keyed-lock.js';
import type { OrderStore, OrderView, PlaceOrderCommand, PlaceOrderOutcome } from '../ports.js';

/** Firestore's transaction retries on contention; enough for a flash sale on one product. */
const maxTransactionAttempts = 50;
const abortedCode = 10;

export class FirestoreOrderStore implements OrderStore {
  private readonly productLocks = new KeyedLock();
  private readonly products: CollectionReference;
  private readonly orders: CollectionReference;
  private readonly outbox: FirestoreOutbox;

  constructor(private readonly db: Firestore) {
    this.products = db.collection('products');
    this.orders = db.collection('orders');
    this.outbox = new FirestoreOutbox(db);
  }

  async listProducts({
    limit,
    after,
  }: PageRequest<ProductPosition>): Promise<Page<Product, ProductPosition>> {
    const sorted = this.products.orderBy('name').orderBy(FieldPath.documentId());
    const docs = await pageQuery(sorted, limit, after && [after.name, after.id]);
    return pageOf(docs.map(toProduct), limit, ({ name, id }) => ({ name, id }));
  }

  /** Needs the composite index (customer.id, createdAt desc, __name__ desc) that infra declares. */
  async listOrdersOf(
    customerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<Order, OrderPosition>> {
    const sorted = this.orders
      .where('customer.id', '==', customerId)
      .orderBy('createdAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc');
    const docs = await pageQuery(sorted, limit, after && [after.createdAt, after.id]);
    return pageOf(
      docs.map((doc) => doc.data() as Order),
      limit,
      ({ createdAt, id }) => ({ createdAt, id }),
    );
  }

  async findOrder(orderId: string): Promise<OrderView | undefined> {
    const orderRef = this.orders.doc(orderId);
    const [order, fulfilment] = await Promise.all([
      orderRef.get(),
      this.db.collection(fulfilmentCollection(orderId)).get(),
    ]);
    if (!order.exists) return undefined;
    return {
      order: order.data() as Order,
      fulfilment: Object.fromEntries(
        fulfilment.docs.map((doc) => [doc.id, doc.data() as FulfilmentRecord]),
      ),
    };
  }

  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome> {
    const productIds = command.items.map((item) => item.productId);
    return this.productLocks.run(productIds, () => this.commit(command));
  }

  private async commit(command: PlaceOrderCommand): Promise<PlaceOrderOutcome> {
    const key = command.idempotency && {
      ...command.idempotency,
      ref: this.idempotencyRef(command.idempotency),
    };
    const productRefs = command.items.map((item) => this.products.doc(item.productId));
    try {
      return await this.db.runTransaction(
        async (tx): Promise<PlaceOrderOutcome> => {
          // One read for the key and the products: the key costs the order no extra round trip.
          const snapshots = await tx.getAll(...(key ? [key.ref] : []), ...productRefs);
          if (key) {
            const orderId = earlierOrder(toRecord(snapshots.shift()), key, command.now);
            if (orderId) return { kind: 'replayed', order: await this.orderIn(tx, orderId) };
          }
          const catalog = new Map(
            snapshots.filter((s) => s.exists).map((s) => [s.id, toProduct(s)]),
          );
          const { order, stock } = placeOrder({ ...command, products: catalog });
          const event = orderPlaced(order, command.eventId);
          for (const level of stock) {
            tx.update(this.products.doc(level.productId), { stock: level.stock });
          }
          tx.create(this.orders.doc(order.id), order);
          this.outbox.add(tx, { event, traceparent: command.traceparent, createdAt: command.now });
          if (key) tx.set(key.ref, idempotencyRecord(key, order.id, command.now));
          return { kind: 'placed', order, event };
        },
        { maxAttempts: maxTransactionAttempts },
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === abortedCode) {
        throw new AppError('busy', 'too many concurrent orders for these products, retry shortly');
      }
      throw error;
    }
  }

  private async orderIn(tx: Transaction, orderId: string): Promise<Order> {
    const snapshot = await tx.get(this.orders.doc(orderId));
    if (!snapshot.exists) throw new Error(`idempotency key points to missing order ${orderId}`);
    return snapshot.data() as Order;
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

function toProduct(snapshot: DocumentSnapshot): Product {
  return { id: snapshot.id, ...(snapshot.data() as Omit<Product, 'id'>) };
}
