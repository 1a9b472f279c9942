import type { DocumentSnapshot, Firestore, WriteBatch } from '@google-cloud/firestore';
import { FirestoreOutbox } from '@orderflow/outbox';
import { AppError, fieldValue, firestoreLibrary } from '@orderflow/platform';
import { applyCommand } from '../domain/lifecycle-events.js';
import type { OrderRecord } from '../domain/lifecycle.js';
import { pageOf, type OrderPosition, type Page, type PageRequest } from '../domain/paging.js';
import { restockOf, type Restock } from '../domain/restock.js';
import type { OrderTransitions, TransitionCommand, TransitionOutcome } from '../ports.js';
import { backoffMs, pause, within } from './deadline.js';
import { defaultStoreLimits, pageQuery, type StoreLimits } from './firestore-order-store.js';
import { shardCountOf, shardRefs, unchangedSince } from './firestore-stock.js';

/**
 * gRPC codes of a commit that lost a race and wrote nothing: the order or a product changed since
 * it was read (FAILED_PRECONDITION), a shard was removed by a re-shard (NOT_FOUND), or Firestore
 * aborted it (ABORTED).
 */
const lostRace = new Set([5, 9, 10]);

/**
 * Transitions without a transaction, as placement does (the emulator deadlocks read-write
 * transactions on a hot document): read the order, decide, then commit one batch whose write of
 * the order holds only if the order is unchanged since the read. Of two conflicting transitions
 * from any processes, the second's batch fails whole and is decided again on the order as the
 * first left it: it then answers the same as before, or 409.
 */
export class FirestoreOrderTransitions implements OrderTransitions {
  private readonly outbox: FirestoreOutbox;

  constructor(
    private readonly db: Firestore,
    private readonly limits: StoreLimits = defaultStoreLimits,
  ) {
    this.outbox = new FirestoreOutbox(db);
  }

  private get orders() {
    return this.db.collection('orders');
  }

  async transition(command: TransitionCommand): Promise<TransitionOutcome> {
    const deadline = Date.now() + this.limits.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const snapshot = await within(
        deadline,
        this.orders.doc(command.orderId).get(),
        'reading the order',
      );
      if (!snapshot.exists) throw new AppError('not-found', `no order ${command.orderId}`);
      const order = snapshot.data() as OrderRecord;
      const applied = applyCommand(order, command.command, command.now, command.eventId);
      if (applied.kind === 'unchanged') return { kind: 'unchanged', order };
      const { lifecycle, event, cancelledLines } = applied;
      const products = await within(deadline, this.readProducts(cancelledLines), 'reading stock');
      const batch = this.db.batch();
      batch.update(snapshot.ref, { ...lifecycle }, unchangedSince(snapshot));
      const shardCount = (id: string) => {
        const product = products.get(id);
        return product ? shardCountOf(product) : 1;
      };
      this.restock(batch, products, restockOf(cancelledLines, order.stockTaken, shardCount));
      this.outbox.add(batch, { event, traceparent: command.traceparent, createdAt: command.now });
      try {
        await within(deadline, batch.commit(), 'committing the change');
        return { kind: 'changed', order: { ...order, ...lifecycle }, event };
      } catch (error) {
        if (!lostRace.has((error as { code?: unknown }).code as number)) throw error;
      }
      const backoff = backoffMs(attempt);
      if (attempt >= this.limits.maxAttempts || Date.now() + backoff >= deadline) {
        throw new AppError('busy', 'the order is changing, retry shortly');
      }
      await pause(backoff);
    }
  }

  /** Needs the composite index (sellerIds array-contains, createdAt desc, __name__ desc). */
  async listOrdersOfSeller(
    sellerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<OrderRecord, OrderPosition>> {
    const sorted = this.orders
      .where('sellerIds', 'array-contains', sellerId)
      .orderBy('createdAt', 'desc')
      .orderBy(firestoreLibrary().FieldPath.documentId(), 'desc');
    const docs = await within(
      Date.now() + this.limits.timeoutMs,
      pageQuery(sorted, limit, after && [after.createdAt, after.id]),
      "listing the seller's orders",
    );
    return pageOf(
      docs.map((doc) => doc.data() as OrderRecord),
      limit,
      ({ createdAt, id }) => ({ createdAt, id }),
    );
  }

  /** The products of the cancelled lines, for their current stock layout. */
  private async readProducts(lines: readonly { productId: string }[]) {
    const ids = [...new Set(lines.map((line) => line.productId))];
    const products = this.db.collection('products');
    const read = ids.length ? await this.db.getAll(...ids.map((id) => products.doc(id))) : [];
    return new Map(read.map((snapshot) => [snapshot.id, snapshot]));
  }

  /**
   * Adds the units back by increments, which commute with every other order's writes. A product
   * that holds its stock itself is written only if its layout is as read (a re-shard since would
   * leave the units in a field no one reads); a shard removed since makes the batch fail, and the
   * next attempt restores to the new layout. A product deleted from the catalog gets nothing back.
   */
  private restock(
    batch: WriteBatch,
    products: ReadonlyMap<string, DocumentSnapshot>,
    restocks: readonly Restock[],
  ): void {
    const increment = (n: number) => ({ stock: fieldValue().increment(n) });
    for (const { productId, shard, quantity } of restocks) {
      const product = products.get(productId);
      if (!product?.exists) continue;
      if (shard === null) {
        batch.update(product.ref, increment(quantity), unchangedSince(product));
        continue;
      }
      const ref = shardRefs(product.ref, shardCountOf(product))[shard];
      if (ref) batch.update(ref, increment(quantity));
    }
  }
}
