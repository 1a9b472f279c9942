/**
 * A product's stock may be split over several shards, each its own document, so that buyers of
 * one hot product write to different documents. These rules decide which shards an order takes
 * its units from; where the shards live is the store's business.
 */

/** The most shards a product may have: every order reads all of them in one call. */
export const maxStockShards = 100;

/** The new level of each shard an order takes from, by shard index. */
export type ShardTake = ReadonlyMap<number, number>;

/**
 * Takes `quantity` units starting at shard `start` and falling back to the next ones in turn,
 * so that buyers who start at different shards touch different documents, and a quantity larger
 * than one shard holds still succeeds while the shards together hold enough. Undefined when
 * they do not.
 */
export function takeFromShards(
  levels: readonly number[],
  quantity: number,
  start: number,
): ShardTake | undefined {
  const taken = new Map<number, number>();
  let missing = quantity;
  for (let step = 0; step < levels.length && missing > 0; step++) {
    const index = (start + step) % levels.length;
    const level = levels[index] ?? 0;
    const take = Math.min(level, missing);
    if (take === 0) continue;
    taken.set(index, level - take);
    missing -= take;
  }
  return missing > 0 ? undefined : taken;
}

/** `total` units over `shards` shards, as evenly as whole units allow (the first ones get the rest). */
export function splitEvenly(total: number, shards: number): number[] {
  const base = Math.floor(total / shards);
  const rest = total % shards;
  return Array.from({ length: shards }, (_, i) => base + (i < rest ? 1 : 0));
}

export const sum = (levels: readonly number[]) => levels.reduce((a, b) => a + b, 0);
