import { createHash } from 'node:crypto';
import type {
  CollectionReference,
  DocumentReference,
  Firestore,
  Query,
} from '@google-cloud/firestore';
import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import { firestoreLibrary } from '@orderflow/platform';
import type { IdempotencyKey } from '../domain/idempotency.js';
import type { Order, Product } from '../domain/order.js';
import {
  pageOf,
  type OrderPosition,
  type Page,
  type PageRequest,
  type ProductPosition,
} from '../domain/paging.js';
import type { OrderStore, OrderView, PlaceOrderCommand, PlaceOrderOutcome } from '../ports.js';
import { within } from './deadline.js';
import { toProduct } from './firestore-documents.js';
import { FirestorePlacement, type PlacementLimits } from './firestore-placement.js';
import { readShards } from './firestore-stock.js';

export interface StoreLimits extends PlacementLimits {
  /** How long one request's store work may take, all attempts together. */
  timeoutMs: number;
}

export const defaultStoreLimits: StoreLimits = {
  timeoutMs: 5000,
  maxAttempts: 20,
  commits: 'shared',
};

export class FirestoreOrderStore implements OrderStore {
  private readonly placement: FirestorePlacement;

  constructor(
    private readonly db: Firestore,
    private readonly limits: StoreLimits = defaultStoreLimits,
  ) {
    this.placement = new FirestorePlacement(db, limits);
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
   * By group commit (`FirestorePlacement`), without a transaction: one read of the key and the
   * stock, a decision, then one atomic batch in which every stock write holds only if its
   * document is unchanged since the read (`lastUpdateTime`) and the order, its outbox entry and a
   * new key are created (they must not exist). A batch that lost a race wrote nothing and is
   * tried again from the reads. The emulator's transactions deadlock on one hot document; real
   * Firestore's would queue on it.
   */
  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderOutcome> {
    const deadline = Math.min(command.deadline?.getTime() ?? Infinity, this.deadline());
    const key = command.idempotency && this.idempotencyRef(command.idempotency);
    return this.placement.place(command, key, deadline);
  }

  private deadline(): number {
    return Date.now() + this.limits.timeoutMs;
  }

  private idempotencyRef(key: IdempotencyKey) {
    return idempotencyKeyRef(this.db, key);
  }
}

/** A customer's `Idempotency-Key`'s record: `idempotencyKeys/{sha256(customer id, newline, key)}`. */
export function idempotencyKeyRef(
  db: Firestore,
  key: Pick<IdempotencyKey, 'customerId' | 'key'>,
): DocumentReference {
  const id = createHash('sha256').update(`${key.customerId}\n${key.key}`).digest('hex');
  return db.collection('idempotencyKeys').doc(id);
}

/** One more document than the page holds, so that `pageOf` knows whether another page follows. */
export async function pageQuery(sorted: Query, limit: number, after: string[] | undefined) {
  const query = after ? sorted.startAfter(...after) : sorted;
  return (await query.limit(limit + 1).get()).docs;
}
