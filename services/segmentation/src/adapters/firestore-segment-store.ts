import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { addOrder, type CountedOrder, type CustomerSegment } from '../domain/segment.js';
import type { SegmentStore } from '../ports.js';

/**
 * `customerSegments/{customerId}` holds the segment; its `orders` subcollection the ids of
 * the orders counted, written in the same transaction so no order is counted twice.
 */
export class FirestoreSegmentStore implements SegmentStore {
  constructor(private readonly db: Firestore) {}

  count(order: CountedOrder): Promise<'counted' | 'already-counted'> {
    const segmentRef = this.db.collection('customerSegments').doc(order.customerId);
    const countedRef = segmentRef.collection('orders').doc(order.orderId);
    return this.db.runTransaction(async (tx) => {
      const [segment, counted] = await tx.getAll(segmentRef, countedRef);
      if (counted?.exists) return 'already-counted';
      tx.set(segmentRef, addOrder(segment?.data() as CustomerSegment | undefined, order));
      tx.set(countedRef, { placedAt: order.placedAt, totalCents: order.totalCents });
      return 'counted';
    });
  }

  async *list(): AsyncIterable<CustomerSegment> {
    const docs = this.db.collection('customerSegments').orderBy('customerId').stream();
    for await (const doc of docs as AsyncIterable<QueryDocumentSnapshot>) {
      yield doc.data() as CustomerSegment;
    }
  }
}
