import type { CloudEvent, customerSegmentChangedType } from '@orderflow/events';
import type { CountedOrder, CustomerSegment } from './domain/segment.js';

export type SegmentChangedEvent = CloudEvent<typeof customerSegmentChangedType>;

export type CountOutcome =
  | { status: 'already-counted' }
  /** `changed`: the label moved, and its event is in the outbox, committed with the count. */
  | { status: 'counted'; changed?: SegmentChangedEvent | undefined };

export interface SegmentStore {
  /**
   * Adds the order to its customer's segment, unless it was counted before; when the label
   * changes, writes the change's event to the outbox in the same transaction.
   */
  count(order: CountedOrder, now: Date, traceparent?: string): Promise<CountOutcome>;
  list(): AsyncIterable<CustomerSegment>;
}
