import type { CountedOrder, CustomerSegment } from './domain/segment.js';

export interface SegmentStore {
  /** Adds the order to its customer's segment, unless it was counted before. */
  count(order: CountedOrder): Promise<'counted' | 'already-counted'>;
  list(): AsyncIterable<CustomerSegment>;
}
