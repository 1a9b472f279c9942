import { applyCommand } from '../domain/lifecycle-events.js';
import type { OrderRecord } from '../domain/lifecycle.js';
import { pageOf, type OrderPosition, type Page, type PageRequest } from '../domain/paging.js';
import { restockOf } from '../domain/restock.js';
import type { OrderTransitions, TransitionCommand, TransitionOutcome } from '../ports.js';
import { AppError } from '@orderflow/platform';
import type { InMemoryOrderStore } from './in-memory-order-store.js';

/** Transitions over the in-memory store, for tests: the same decisions, one change at a time. */
export class InMemoryOrderTransitions implements OrderTransitions {
  constructor(private readonly store: InMemoryOrderStore) {}

  transition(command: TransitionCommand): Promise<TransitionOutcome> {
    return this.store.serially((): TransitionOutcome => {
      const order = this.store.orders.get(command.orderId);
      if (!order) throw new AppError('not-found', `no order ${command.orderId}`);
      const applied = applyCommand(order, command.command, command.now, command.eventId);
      if (applied.kind === 'unchanged') return { kind: 'unchanged', order };
      const changed = { ...order, ...applied.lifecycle };
      const shardCount = (id: string) => this.store.stockShards.get(id)?.length ?? 1;
      for (const { productId, shard, quantity } of restockOf(
        applied.cancelledLines,
        order.stockTaken,
        shardCount,
      )) {
        const product = this.store.products.get(productId);
        const shards = this.store.stockShards.get(productId);
        if (shards && shard !== null) shards[shard] = (shards[shard] ?? 0) + quantity;
        else if (product) product.stock += quantity;
      }
      this.store.saveChange(changed, {
        event: applied.event,
        traceparent: command.traceparent,
        createdAt: command.now,
      });
      return { kind: 'changed', order: changed, event: applied.event };
    });
  }

  listOrdersOfSeller(
    sellerId: string,
    { limit, after }: PageRequest<OrderPosition>,
  ): Promise<Page<OrderRecord, OrderPosition>> {
    const newest = (o: OrderPosition) => `${o.createdAt}\n${o.id}`;
    const sorted = [...this.store.orders.values()]
      .filter((o) => o.sellerIds?.includes(sellerId))
      .sort((a, b) => (newest(a) < newest(b) ? 1 : -1))
      .filter((o) => !after || newest(o) < newest(after));
    return Promise.resolve(pageOf(sorted, limit, ({ createdAt, id }) => ({ createdAt, id })));
  }
}
