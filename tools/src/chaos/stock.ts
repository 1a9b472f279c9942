import type { Firestore } from '@google-cloud/firestore';
import { levelOf, readShards } from '@orderflow/order/adapters/firestore-stock';

/** A product's stock as Firestore holds it: the product's own, or each shard's. */
export interface StockRead {
  productId: string;
  /** One level per document: the product's own, or its shards' in order. */
  levels: number[];
}

/** Reads the products and their shards in two calls, as an order does. */
export async function readStock(
  db: Firestore,
  productIds: readonly string[],
): Promise<StockRead[]> {
  const products = await db.getAll(...productIds.map((id) => db.collection('products').doc(id)));
  const shards = await readShards(db, products);
  return products.map((p) => {
    const own = shards.get(p.id);
    return {
      productId: p.id,
      levels: own ? own.map(levelOf) : [(p.get('stock') as number | undefined) ?? 0],
    };
  });
}

/**
 * Reads the stock every `intervalMs` until stopped, and keeps the lowest level each product's
 * documents showed: stock must never be read below zero, at any time.
 */
export function watchStock(db: Firestore, productIds: readonly string[], intervalMs = 3000) {
  const lowest = new Map<string, number>();
  let reads = 0;
  const look = async () => {
    for (const { productId, levels } of await readStock(db, productIds)) {
      lowest.set(productId, Math.min(lowest.get(productId) ?? Infinity, ...levels));
    }
    reads += 1;
  };
  // A read that fails (Firestore frozen) is simply not a read.
  const timer = setInterval(() => void look().catch(() => undefined), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { reads, lowest };
    },
  };
}
