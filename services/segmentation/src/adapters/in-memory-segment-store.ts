import { addOrder, type CountedOrder, type CustomerSegment } from '../domain/segment.js';
import type { SegmentStore } from '../ports.js';

export class InMemorySegmentStore implements SegmentStore {
  readonly segments = new Map<string, CustomerSegment>();
  private readonly counted = new Set<string>();

  count(order: CountedOrder): Promise<'counted' | 'already-counted'> {
    if (this.counted.has(order.orderId)) return Promise.resolve('already-counted');
    this.counted.add(order.orderId);
    this.segments.set(order.customerId, addOrder(this.segments.get(order.customerId), order));
    return Promise.resolve('counted');
  }

  async *list(): AsyncIterable<CustomerSegment> {
    yield* [...this.segments.values()].sort((a, b) => a.customerId.localeCompare(b.customerId));
    return Promise.resolve();
  }
}
