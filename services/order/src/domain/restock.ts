import type { OrderLine } from '@orderflow/events';
import type { StockTaken } from './order.js';

/** Where units return: a shard's index, or null for the product document itself. */
export interface Restock {
  productId: string;
  shard: number | null;
  quantity: number;
}

/**
 * Where the units of cancelled lines go back: to the shards they were taken from, in the
 * product's current layout (`shardCount`, 1 for a product that holds its stock itself). A re-shard
 * since the order may have removed a shard, or sharded a product that was not: its units then go
 * to the shard of the same index modulo the new count (shard 0 for units taken from the product
 * document). An order placed before orders recorded `stockTaken` returns its units the same way,
 * as if taken from the product document: the total restored is exact either way.
 */
export function restockOf(
  lines: readonly OrderLine[],
  stockTaken: readonly StockTaken[] | undefined,
  shardCount: (productId: string) => number,
): Restock[] {
  const targets = new Map<string, Restock>();
  for (const line of lines) {
    const recorded = stockTaken?.filter((taken) => taken.productId === line.productId) ?? [];
    const taken = recorded.length ? recorded : [{ shard: null, quantity: line.quantity }];
    const count = shardCount(line.productId);
    for (const { shard, quantity } of taken) {
      const target = count > 1 ? (shard ?? 0) % count : null;
      const key = `${line.productId}/${String(target)}`;
      const known = targets.get(key);
      if (known) known.quantity += quantity;
      else targets.set(key, { productId: line.productId, shard: target, quantity });
    }
  }
  return [...targets.values()];
}
