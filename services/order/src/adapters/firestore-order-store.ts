import { createHash } from 'node:crypto';
import type { DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import { AppError } from '@orderflow/platform';
import { orderPlaced } from '../domain/events.js';
import { placeOrder, type Order, type Product } from '../domain/order.js';
import { KeyedLock } from './keyed-lock.js';
import type {
  ClaimOutcome,
  IdempotencyClaim,
  OrderStore,
  OrderView,
  PlaceOrderCommand,
  PlacedOrder,
} from '../ports.js';

/** Firestore's transaction retries on contention; enough for a flash sale on one product. */
const maxTransactionAttempts = 50;
const abortedCode = 10;

interface IdempotencyDoc {
  requestHash: string;
  state: 'in-flight' | 'completed';
  orderId?: string;
  claimedAt: string;
}

export class FirestoreOrderStore implements OrderStore {
  private readonly productLocks = new KeyedLock();

  constructor(private readonly db: Firestore) {}

  async listProducts(): Promise<Product[]> {
    const snapshot = await this.db.collection('products').orderBy('name').get();
    return snapshot.docs.map(toProduct);
  }

  async findOrder(orderId: string): Promise<OrderView | undefined> {
    const orderRef = this.db.collection('orders').doc(orderId);
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

  placeOrder(command: PlaceOrderCommand): Promise<PlacedOrder> {
    const productIds = command.items.map((item) => item.productId);
    return this.productLocks.run(productIds, () => this.commit(command));
  }

  private async commit(command: PlaceOrderCommand): Promise<PlacedOrder> {
    const products = this.db.collection('products');
    try {
      return await this.db.runTransaction(
        async (tx) => {
          const snapshots = await tx.getAll(
            ...command.items.map((item) => products.doc(item.productId)),
          );
          const catalog = new Map(
            snapshots.filter((s) => s.exists).map((s) => [s.id, toProduct(s)]),
          );
          const { order, stock } = placeOrder({ ...command, products: catalog });
          const event = orderPlaced(order, command.eventId);
          for (const level of stock)
            tx.update(products.doc(level.productId), { stock: level.stock });
          tx.create(this.db.collection('orders').doc(order.id), order);
          tx.create(this.db.collection('outbox').doc(event.id), {
            event,
            traceparent: command.traceparent,
            createdAt: command.now,
            publishedAt: null,
          });
          if (command.idempotency) {
            tx.update(this.idempotencyRef(command.idempotency), {
              state: 'completed',
              orderId: order.id,
            });
          }
          return { order, event };
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

  async claimIdempotencyKey(
    claim: IdempotencyClaim,
    now: Date,
    staleAfterMs: number,
  ): Promise<ClaimOutcome> {
    const ref = this.idempotencyRef(claim);
    return this.db.runTransaction(async (tx) => {
      const existing = (await tx.get(ref)).data() as IdempotencyDoc | undefined;
      if (existing && existing.requestHash !== claim.requestHash) return { status: 'mismatch' };
      if (existing?.state === 'completed' && existing.orderId) {
        return { status: 'completed', orderId: existing.orderId };
      }
      if (existing && now.getTime() - Date.parse(existing.claimedAt) < staleAfterMs) {
        return { status: 'in-flight' };
      }
      const doc: IdempotencyDoc = {
        requestHash: claim.requestHash,
        state: 'in-flight',
        claimedAt: now.toISOString(),
      };
      tx.set(ref, doc);
      return { status: 'claimed' };
    });
  }

  async releaseIdempotencyKey(claim: IdempotencyClaim): Promise<void> {
    await this.idempotencyRef(claim).delete();
  }

  private idempotencyRef(claim: IdempotencyClaim) {
    const id = createHash('sha256').update(`${claim.customerId}\n${claim.key}`).digest('hex');
    return this.db.collection('idempotencyKeys').doc(id);
  }
}

function toProduct(snapshot: DocumentSnapshot): Product {
  return { id: snapshot.id, ...(snapshot.data() as Omit<Product, 'id'>) };
}
