import { randomInt } from 'node:crypto';
import { AppError } from '@orderflow/platform';

/**
 * Rejects with `busy` when `work` has not settled by `deadline` (epoch ms). Firestore's client
 * takes no abort signal and retries some calls for minutes, so the wait is bounded here; a call
 * left behind finishes or fails on its own, unobserved.
 */
export function within<T>(deadline: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('busy', `${what} did not finish in time, retry shortly`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  // The work may still reject after the deadline won: that rejection is expected, not unhandled.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, a full-jitter backoff step for retries that contend. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const backoffCapMs = 200;
const backoffBaseMs = 10;

/**
 * The wait before attempt `attempt + 1` of a commit that lost a race: full jitter (AWS's
 * "Exponential Backoff and Jitter"), a random time up to 10 ms × 2^attempt and at most 200 ms.
 */
export const backoffMs = (attempt: number) =>
  randomInt(Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt) + 1);
