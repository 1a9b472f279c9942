import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import {
  FirestoreDeadLetters,
  replayAttribute,
  type ClaimOutcome,
  type DeadLetterRecord,
} from '@orderflow/subscriber';
import { findSubscription, topology } from '@orderflow/topology';

/** A dead letter as an operator sees it: the record without the message it keeps for replay. */
export type DeadLetter = Omit<DeadLetterRecord, 'message' | 'sourceMessageId' | 'claimedUntil'>;

/** What replaying one dead letter did: `replayed` or `requeued` when it went back to work. */
export type ReplayOutcome = Exclude<ClaimOutcome, 'claimed'> | 'replayed';

export interface ReplayResult {
  letter: DeadLetter;
  outcome: ReplayOutcome;
}

/** What a replay did, in words an operator can act on. */
export const replayOutcomeText: Record<ReplayOutcome, string> = {
  replayed: 'published again to its subscriber',
  requeued: 'handed back to its subscriber’s retries',
  done: 'its delivery has succeeded since; nothing to replay',
  busy: 'an attempt is running; try again in a minute',
  taken: 'replayed or being replayed by someone else',
};

/** The dead letter went back to work: published again, or its part handed back for retries. */
export const wentBack = (result: ReplayResult) =>
  result.outcome === 'replayed' || result.outcome === 'requeued';

/** How many replays run at once: hundreds in seconds, without flooding Firestore or Pub/Sub. */
const concurrency = 16;

/**
 * Dead letters for the `dlq` commands and the console. Listing reads the records each
 * subscriber writes when a dead letter reaches it: exact, whatever Pub/Sub's pull would return.
 * Replaying claims a record in a transaction before publishing it to the subscriber's own replay
 * topic (with the same event id), so each is replayed once even by two operators at a time.
 */
export class DeadLetters {
  private readonly records: FirestoreDeadLetters;

  constructor(
    private readonly pubsub: PubSub,
    firestore: Firestore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = new FirestoreDeadLetters(firestore);
  }

  /** Every dead letter not yet replayed, oldest first: of one subscriber, or of all. */
  async list(subscriber?: string): Promise<DeadLetter[]> {
    return (await this.records.list(subscriber)).map(view);
  }

  /** Replays one dead letter, by its subscriber and key (as `list` gives them). */
  async replayOne(subscriber: string, key: string): Promise<ReplayResult | undefined> {
    const [result] = await this.replay(subscriber, (letter) => letter.key === key);
    return result;
  }

  /** Replays the dead letters of `subscriber` that `select` picks (all by default). */
  async replay(
    subscriber: string,
    select: (letter: DeadLetter) => boolean = () => true,
  ): Promise<ReplayResult[]> {
    const chosen = (await this.records.list(subscriber)).filter((r) => select(view(r)));
    const results: ReplayResult[] = [];
    for (let start = 0; start < chosen.length; start += concurrency) {
      const batch = chosen.slice(start, start + concurrency);
      results.push(...(await Promise.all(batch.map((record) => this.replayRecord(record)))));
    }
    return results;
  }

  private async replayRecord(record: DeadLetterRecord): Promise<ReplayResult> {
    const plan = findSubscription(topology, record.subscriber);
    if (!plan) throw new Error(`${record.subscriber} is not a subscriber in the topology`);
    const replay = randomUUID();
    const claimed = await this.records.claim(record, this.clock(), replay);
    if (claimed !== 'claimed') return { letter: view(record), outcome: claimed };
    try {
      await this.pubsub.topic(plan.replayTopic).publishMessage({
        data: Buffer.from(record.message.data),
        attributes: { ...record.message.attributes, [replayAttribute]: replay },
      });
    } catch (error) {
      await this.records.release(record);
      throw error;
    }
    await this.records.finish(record, this.clock());
    return { letter: view(record), outcome: 'replayed' };
  }
}

function view(record: DeadLetterRecord): DeadLetter {
  const { message: _m, sourceMessageId: _s, claimedUntil: _c, ...letter } = record;
  return letter;
}
