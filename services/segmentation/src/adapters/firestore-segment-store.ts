import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { FirestoreOutbox } from '@orderflow/outbox';
import {
  addOrder,
  labelChange,
  type CountedOrder,
  type CustomerSegment,
} from '../domain/segment.js';
import { segmentChanged } from '../events.js';
import type { CountOutcome, SegmentStore } from '../ports.js';

/** Segmentation's own outbox: its relay publishes only what segmentation may publish. */
export const segmentationOutboxCollection = 'segmentationOutbox';

/**
 * `customerSegments/{customerId}` holds the segment; its `orders` subcollection the ids of
 * the orders counted, written in the same transaction so no order is counted twice, and with
 * them the label change's event in the outbox, so no change is lost or told twice.
 */
export class FirestoreSegmentStore implements SegmentStore {
  readonly outbox: FirestoreOutbox;

  constructor(private readonly db: Firestore) {
    this.outbox = new FirestoreOutbox(db, segmentationOutboxCollection);
  }

  count(order: CountedOrder, now: Date, traceparent?: string): Promise<CountOutcome> {
    const segmentRef = this.db.collection('customerSegments').doc(order.customerId);
    const countedRef = segmentRef.collection('orders').doc(order.orderId);
    return this.db.runTransaction(async (tx): Promise<CountOutcome> => {
      const [segment, counted] = await tx.getAll(segmentRef, countedRef);
      if (counted?.exists) return { status: 'already-counted' };
      const before = segment?.data() as CustomerSegment | undefined;
      const after = addOrder(before, order);
      tx.set(segmentRef, after);
      tx.set(countedRef, { placedAt: order.placedAt, totalCents: order.totalCents });
      const change = labelChange(before, after, order);
      const changed = change && segmentChanged(change);
      if (changed) this.outbox.add(tx, { event: changed, traceparent, createdAt: now });
      return { status: 'counted', changed };
    });
  }

  async *list(): AsyncIterable<CustomerSegment> {
    const docs = this.db.collection('customerSegments').orderBy('customerId').stream();
    for await (const doc of docs as AsyncIterable<QueryDocumentSnapshot>) {
      yield doc.data() as CustomerSegment;
    }
  }
}
