import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { anEmptyOutcome, type LoadOutcome, type PlacedRef } from './load.js';
import type { OrderDraft } from './workload.js';

/** One operation of an open-loop run; resolves with the order it placed, if it placed one. */
export type OpenLoopOperation = (draft: OrderDraft) => Promise<PlacedRef | undefined>;

export interface OpenLoopLoad {
  /** Operations started per second, evenly spaced, whatever the answers. */
  rate: number;
  seconds: number;
  /** An operation still unanswered this long after its start time counts as failed (`timeout`). */
  timeoutMs: number;
}

/**
 * Starts `operation` at a constant rate whether or not the earlier ones have answered: an open
 * loop, as buyers arrive. autocannon's `overallRate` is a closed loop (each connection waits for
 * its answer before the next request), so a slow server slows the load and hides its saturation;
 * wrk2 and k6's constant-arrival-rate are open, but drive only HTTP, and the floor is a function
 * call. So this is hand-written, and drives both. Latency counts from each operation's scheduled
 * start, so a generator that falls behind adds to it instead of hiding it (coordinated omission).
 */
export async function openLoop(
  load: OpenLoopLoad,
  nextOrder: () => OrderDraft,
  operation: OpenLoopOperation,
): Promise<LoadOutcome> {
  const outcome = anEmptyOutcome();
  const fail = (reason: string) => (outcome.failures[reason] = (outcome.failures[reason] ?? 0) + 1);
  const total = Math.round(load.rate * load.seconds);
  const origin = performance.now();
  const running: Promise<void>[] = [];
  const start = (scheduledAt: number) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(
        () => resolve('timeout'),
        Math.max(0, scheduledAt + load.timeoutMs - performance.now()),
      );
    });
    const work = operation(nextOrder()).then(
      (placed) => ({ placed, ms: performance.now() - scheduledAt }),
      (error: unknown) => ({ error, ms: performance.now() - scheduledAt }),
    );
    running.push(
      Promise.race([work, timedOut]).then((answer) => {
        clearTimeout(timer);
        outcome.requests += 1;
        if (answer === 'timeout') return void fail('timeout');
        outcome.latenciesMs.push(answer.ms);
        if ('error' in answer) return void fail(failureReason(answer.error));
        outcome.successes += 1;
        if (answer.placed) outcome.placed.push(answer.placed);
      }),
    );
  };
  for (let n = 0; n < total;) {
    const elapsed = performance.now() - origin;
    // Everything due by now starts now: a late wake-up catches up rather than lowering the rate.
    for (; n < total && (n * 1000) / load.rate <= elapsed; n += 1) {
      start(origin + (n * 1000) / load.rate);
    }
    if (n < total) await sleep(origin + (n * 1000) / load.rate - performance.now());
  }
  await Promise.all(running);
  outcome.endedAt = Date.now();
  return outcome;
}

/** A non-2xx answer, by status, as `loadOrders` counts it. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(readonly code: string) {
    super(`answered ${code}`);
  }
}

/**
 * `POST /orders` over a pool of keep-alive connections as large as the load needs, so that no
 * request waits for a free connection on the client's side unless `connections` are all busy.
 */
export function httpOrders(orderApi: string, connections: number) {
  const pool = new Pool(orderApi, { connections, pipelining: 1 });
  const operation: OpenLoopOperation = async ({ customer, items }) => {
    const response = await pool.request({
      method: 'POST',
      path: '/orders',
      headers: {
        authorization: `Bearer ${customer.token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ items }),
    });
    const body = await response.body.text();
    if (response.statusCode !== 201) throw new StatusError(String(response.statusCode));
    const { id, createdAt } = JSON.parse(body) as PlacedRef;
    return { id, createdAt };
  };
  return { operation, close: () => pool.close() };
}

/**
 * An error's code (a status, an AppError's code, a gRPC status), so that failures group by
 * cause; for an error without one, its message with the ids taken out.
 */
function failureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, '<id>').slice(0, 80);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
