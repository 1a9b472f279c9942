import { Batcher, BATCHER_RETRY_TOKEN, type BatchingResult } from 'promise-batcher';

/** What a commit answers for a member it did not settle: try it again in the next batch. */
export const tryAgain: typeof BATCHER_RETRY_TOKEN = BATCHER_RETRY_TOKEN;

export type CommitResult<O> = BatchingResult<O>;

/**
 * Group commit, as databases do it under many small writes: per key, the first request commits
 * at once; those that arrive while its commit is in flight wait and go together in the next one,
 * so a quiet key commits each request alone without added wait and a busy one in batches. One
 * commit at a time per key, members in arrival order; a member answered `tryAgain` goes back to
 * the head of its key's queue. promise-batcher does the queueing: its queuing thresholds of
 * `[1, Infinity]` run a batch for one waiting member while none is in flight and none while one
 * is, and `send()` skips its queuing delay.
 */
export class GroupCommit<I, O> {
  private readonly batchers = new Map<string, Batcher<I, O>>();

  constructor(
    private readonly commit: (members: readonly I[]) => Promise<ReadonlyArray<CommitResult<O>>>,
  ) {}

  submit(key: string, member: I): Promise<O> {
    const batcher = this.batcherOf(key);
    const result = batcher.getResult(member);
    batcher.send();
    const dropWhenIdle = () => {
      if (batcher.idling && this.batchers.get(key) === batcher) this.batchers.delete(key);
    };
    void result.then(dropWhenIdle, dropWhenIdle);
    return result;
  }

  /** Keys with a batcher: each is dropped once it has nothing queued or in flight. */
  get activeKeys(): number {
    return this.batchers.size;
  }

  private batcherOf(key: string): Batcher<I, O> {
    const existing = this.batchers.get(key);
    if (existing) return existing;
    const batcher = new Batcher<I, O>({
      batchingFunction: this.commit,
      queuingThresholds: [1, Infinity],
      queuingDelay: 0,
    });
    this.batchers.set(key, batcher);
    return batcher;
  }
}
