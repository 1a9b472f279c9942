import type { Floor } from './floor.js';
import type { LoadOutcome } from './load.js';
import { httpOrders, openLoop, type OpenLoopOperation } from './open-loop.js';
import type { Target } from './key-figure.js';
import { holdDeliveriesRenewably } from './target.js';
import type { BenchContext } from './context.js';
import type { SaturationSettings } from './settings.js';
import { settleAfterFailedStep } from './settle.js';
import { distribution, round, type Distribution } from './statistics.js';
import { bracket, nextRate } from './step-search.js';
import { orderDrafts } from './workload.js';

export type SaturationSide = 'api' | 'floor';

export const sideLabels: Record<SaturationSide, string> = {
  api: 'order API (POST /orders)',
  floor: 'floor (transaction then publish)',
};

/** One step of the search: one rate, open loop, for `stepSeconds`. */
export interface SaturationStep {
  offeredRate: number;
  requests: number;
  successes: number;
  failures: Record<string, number>;
  /** Successes per second of the step's offered duration. */
  throughput: number;
  latencyMs: Distribution | undefined;
  passed: boolean;
  /** Why it failed: errors, or the p99 over the limit. */
  reason?: string;
}

export interface SaturationSearch {
  side: SaturationSide;
  /** The highest rate that passed, below every rate that failed; undefined if none passed. */
  rate: number | undefined;
  /** The lowest rate that failed, if any did: the saturation lies between the two. */
  failedRate: number | undefined;
  steps: SaturationStep[];
}

export interface SaturationOutcome {
  api: SaturationSearch;
  floor: SaturationSearch;
}

export type SaturationRatio = Target<number> & {
  apiRate: number;
  floorRate: number;
  /** Both sides failed at some rate: each is a saturation, not only a lower bound of one. */
  bounded: boolean;
};

/** API over floor, each at its highest passing rate; target ≥ 0.9. */
export function saturationRatio({ api, floor }: SaturationOutcome): SaturationRatio | undefined {
  if (!api.rate || !floor.rate) return undefined;
  const value = round(api.rate / floor.rate, 2);
  return {
    value,
    target: 0.9,
    met: value >= 0.9,
    apiRate: api.rate,
    floorRate: floor.rate,
    bounded: api.failedRate !== undefined && floor.failedRate !== undefined,
  };
}

/** Whether a step's answers meet the bar: all 2xx, p99 under the limit. */
export function judge(
  outcome: Pick<LoadOutcome, 'requests' | 'successes' | 'failures'> & {
    latencyMs: Distribution | undefined;
  },
  p99LimitMs: number,
): { passed: boolean; reason?: string } {
  const failed = outcome.requests - outcome.successes;
  if (failed > 0) {
    const causes = Object.entries(outcome.failures).map(([code, n]) => `${n} × ${code}`);
    return { passed: false, reason: `${failed} failed (${causes.join(', ')})` };
  }
  const p99 = outcome.latencyMs?.p99;
  if (p99 === undefined) return { passed: false, reason: 'no answers' };
  if (p99 >= p99LimitMs) return { passed: false, reason: `p99 ${p99} ms ≥ ${p99LimitMs} ms` };
  return { passed: true };
}

/**
 * The saturation of the order API and of the floor, searched side by side: at each rate both
 * sides run back to back (every other rate the floor first), so a drift of the shared machine
 * favours neither, until each side's search is done. The order service must be running.
 *
 * The subscribers' deliveries are held meanwhile, as for the hot product: on Cloud Run they run on
 * instances of their own, and here their backlog after one step (hundreds of orders at the
 * floor's rates) took the two cores from whichever step came next.
 */
export async function saturationSearch(
  ctx: BenchContext,
  floor: Floor,
): Promise<SaturationOutcome> {
  const settings = ctx.settings.saturation;
  const api = httpOrders(ctx.target.orderApi, settings.connections);
  const operations: Record<SaturationSide, OpenLoopOperation> = {
    api: api.operation,
    floor: floor.operation('transaction+publish'),
  };
  const searches: Record<SaturationSide, SaturationStep[]> = { api: [], floor: [] };
  const deliveries = await holdDeliveriesRenewably(ctx.target);
  /** A new Pub/Sub emulator, its deliveries held again, and the floor's new client of it. */
  const renew = async () => {
    const renewed = await deliveries.renew();
    if (renewed) floor.reconnect();
    return renewed;
  };
  try {
    for (let turn = 0; ; turn += 1) {
      const sides: SaturationSide[] = turn % 2 ? ['floor', 'api'] : ['api', 'floor'];
      const due = sides.flatMap((side) => {
        const rate = nextRate(settings, steps(searches[side]));
        return rate === undefined ? [] : [{ side, rate }];
      });
      if (due.length === 0) break;
      for (const { side, rate } of due) {
        const done = await step(ctx, side, rate, operations[side]);
        searches[side].push(done);
        if (!done.passed) {
          const drafts = orderDrafts(ctx.customers, ctx.settings.products, 'spread');
          const probes = {
            api: () => operations.api(drafts()),
            floor: () => operations.floor(drafts()),
          };
          await settleAfterFailedStep(ctx.progress, settings.recovery, probes, renew);
        }
      }
    }
  } finally {
    await api.close();
    await floor.markAllPublished();
    await deliveries.resume();
  }
  return { api: summary('api', searches.api), floor: summary('floor', searches.floor) };
}

async function step(
  ctx: BenchContext,
  side: SaturationSide,
  rate: number,
  operation: OpenLoopOperation,
): Promise<SaturationStep> {
  const settings: SaturationSettings = ctx.settings.saturation;
  ctx.progress(`saturation ${side} at ${rate} orders/s, open loop, ${settings.stepSeconds} s`);
  const outcome = await openLoop(
    { rate, seconds: settings.stepSeconds, timeoutMs: settings.timeoutMs },
    orderDrafts(ctx.customers, ctx.settings.products, 'spread'),
    operation,
  );
  const latencyMs = distribution(outcome.latenciesMs);
  const verdict = judge({ ...outcome, latencyMs }, settings.p99LimitMs);
  ctx.progress(
    `  ${verdict.passed ? 'passed' : `failed: ${verdict.reason ?? ''}`}; p99 ${latencyMs?.p99 ?? '-'} ms`,
  );
  return {
    offeredRate: rate,
    requests: outcome.requests,
    successes: outcome.successes,
    failures: outcome.failures,
    throughput: round(outcome.successes / settings.stepSeconds),
    latencyMs,
    ...verdict,
  };
}

const steps = (search: readonly SaturationStep[]) =>
  search.map((s) => ({ rate: s.offeredRate, passed: s.passed }));

function summary(side: SaturationSide, search: SaturationStep[]): SaturationSearch {
  const { passed, failed } = bracket(steps(search));
  return { side, rate: passed, failedRate: failed, steps: search };
}
