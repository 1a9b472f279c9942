/**
 * Runs work for a set of keys one at a time per key, within this process.
 * Orders for the same product then queue here instead of colliding in Firestore,
 * where a contended transaction is retried with a backoff that starts at a second.
 * Instances still contend with each other; the transaction stays the guarantee.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    // Taking keys in one global order rules out deadlock between overlapping sets.
    for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key));
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
