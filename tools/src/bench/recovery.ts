import { DeadLetters, wentBack } from '../shared/dead-letters.js';
import { awaitEffects, type EffectsTrace } from './effects.js';
import type { PlacedRef } from './load.js';
import type { BenchContext } from './context.js';
import { round } from './statistics.js';

/** How the orders of an outage came to be done once the sellers were mended. */
export interface RecoveryOutcome {
  orders: number;
  /** Done by the subscribers' own retries, before any replay. */
  doneWithoutReplay: number;
  /** Dead-lettered somewhere once the retries ended, so replayed. */
  deadLettered: number;
  /** Still retrying (or pending) when the wait for the retries ended: stuck, never replayed. */
  stuck: number;
  /** Dead letters of these orders sent back by the replay (`dlq replay --all` of each subscriber). */
  replayed: number;
  /** From the mend until the replay began: when every order was done or dead-lettered. */
  replayAfterSeconds: number;
  /** From the mend until every order was done for all subscribers; undefined if some never was. */
  seconds: number | undefined;
  /** Orders not done for every subscriber when the wait after the replay ended. */
  open: number;
}

/**
 * After an outage: once every order is done or dead-lettered (`settled`, the wait that began at
 * the mend), replays each subscriber's dead letters of these orders with the code of
 * `npm run -s dlq -- replay --subscriber <name> --all` (only these: with `--use-running` others
 * may be a developer's own), then waits until every order is done, and times it from the mend.
 */
export async function measureRecovery(
  ctx: BenchContext,
  orders: readonly PlacedRef[],
  mendedAt: number,
  settled: EffectsTrace,
): Promise<RecoveryOutcome> {
  const { target, settings } = ctx;
  const replayStartedAt = Date.now();
  const deadLetters = new DeadLetters(target.pubsub, target.db);
  const ids = new Set(orders.map((o) => o.id));
  let replayed = 0;
  for (const subscriber of target.subscribers) {
    const results = await deadLetters.replay(subscriber, (l) => ids.has(l.orderId ?? ''));
    replayed += results.filter(wentBack).length;
  }
  ctx.progress(
    `recovery: ${settled.done} done by retries, ${settled.deadLettered} dead-lettered, ${replayed} dead letters replayed`,
  );
  const after = await awaitEffects(target.db, target.subscribers, orders, {
    timeoutMs: settings.settleSeconds * 1000,
    stallMs: settings.stallSeconds * 1000,
  });
  const allDone = after.done === orders.length && after.lastDoneAt !== undefined;
  return {
    orders: orders.length,
    doneWithoutReplay: settled.done,
    deadLettered: settled.deadLettered,
    stuck: settled.unfinished,
    replayed,
    replayAfterSeconds: round((replayStartedAt - mendedAt) / 1000, 1),
    seconds: allDone ? round(Math.max(0, (after.lastDoneAt ?? 0) - mendedAt) / 1000, 1) : undefined,
    open: orders.length - after.done,
  };
}
