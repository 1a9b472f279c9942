import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * Every random choice of a campaign, from one seed (pure-rand's xoroshiro128+). Each part of the
 * campaign draws from its own stream (`stream`, a jump of 2^64 draws), so that the fault schedule
 * stays the same when the load draws more, and the other way round.
 */
export class Random {
  private constructor(private readonly rng: JumpableRandomGenerator) {}

  static of(seed: number): Random {
    return new Random(xoroshiro128plus(seed));
  }

  /** The `n`-th independent stream of this seed, from 1. */
  stream(n: number): Random {
    const rng = this.rng.clone();
    for (let i = 0; i < n; i++) rng.jump();
    return new Random(rng);
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** True with probability `p`, to a millionth. */
  chance(p: number): boolean {
    return this.int(1, 1_000_000) <= p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const left = [...items];
    return Array.from(
      { length: Math.min(count, left.length) },
      () => left.splice(this.int(0, left.length - 1), 1)[0] as T,
    );
  }
}
