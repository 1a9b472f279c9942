import { InMemoryOutbox } from '@orderflow/outbox';
import {
  addOrder,
  labelChange,
  type CountedOrder,
  type CustomerSegment,
} from '../domain/segment.js';
import { segmentChanged } from '../events.js';
import type { CountOutcome, SegmentStore } from '../ports.js';

export class InMemorySegmentStore extends InMemoryOutbox implements SegmentStore {
  readonly segments = new Map<string, CustomerSegment>();
  private readonly counted = new Set<string>();

  count(order: CountedOrder, now: Date, traceparent?: string): Promise<CountOutcome> {
    if (this.counted.has(order.orderId)) return Promise.resolve({ status: 'already-counted' });
    this.counted.add(order.orderId);
    const before = this.segments.get(order.customerId);
    const after = addOrder(before, order);
    this.segments.set(order.customerId, after);
    const change = labelChange(before, after, order);
    const changed = change && segmentChanged(change);
    if (changed) this.addToOutbox({ event: changed, traceparent, createdAt: now });
    return Promise.resolve({ status: 'counted', changed });
  }

  async *list(): AsyncIterable<CustomerSegment> {
    yield* [...this.segments.values()].sort((a, b) => a.customerId.localeCompare(b.customerId));
    return Promise.resolve();
  }
}
