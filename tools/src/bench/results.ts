import type { Target } from './key-figure.js';
import type { Architecture, ScenarioName } from './settings.js';
import type { BacklogOutcome, RunResult, TracingSide } from './run-result.js';
import type { RecoveryOutcome } from './recovery.js';
import { hotProductFigure } from './hot-product.js';
import type { SaturationRatio } from './saturation.js';
import { median, relativeChange, round } from './statistics.js';

/**
 * The tracing comparison's sides: sampled as deployed (Pulumi's `traceSamplePercent`), every
 * order sampled, and no telemetry SDK at all.
 */

export interface KeyFigures {
  /**
   * Event-driven p50 over the floor's (transaction then publish) p50, healthy, same concurrency:
   * the median of the rounds' ratios (with the median p50s), or the one pair without rounds.
   */
  floorRatio?: Target<number> & { eventDrivenP50: number; floorP50: number; rounds: number[] };
  /** How much event-driven p50 moves when the sellers are 200 ms slower, likewise. */
  sellerSlowChange?: Target<number> & { healthyP50: number; slowP50: number; rounds: number[] };
  /** Event-driven orders answered 2xx while every seller webhook fails. */
  sellerFailingSuccessRate?: Target<number> & { requests: number; successes: number };
  /**
   * After the sellers' outage, from the mend until every order was done for every subscriber
   * (seconds), the dead letters replayed; met when no delivery was left retrying for good
   * (every one done or dead-lettered) and every order got done.
   */
  recovery?: RecoveryOutcome & { met: boolean };
  /** Orders of the event-driven burst without all three effects done afterwards. */
  burstLost?: Target<number> & BacklogOutcome & { committed: number };
  /**
   * Traced (as deployed) p50 minus untraced p50, of every round's orders pooled (ms); met within
   * 1 ms or 5 %. `everyOrder`: the same with every order sampled.
   */
  tracingOverhead?: TracingOverhead & { everyOrder?: TracingOverhead };
  /**
   * One product's best orders/s with no error and p99 under 1 s (`--hot`), sharded over single
   * document, on the same instances in one run: the ratio, target ≥ 5.
   */
  hotProduct?: NonNullable<ReturnType<typeof hotProductFigure>>;
  /** The order API's saturation over the floor's, each the highest rate passed (`--saturation`). */
  saturationRatio?: SaturationRatio;
  /** Each request-response run against event-driven in the same scenario. */
  requestResponse: {
    architecture: Architecture;
    scenario: ScenarioName;
    p50: number | undefined;
    p50OverEventDriven: number | undefined;
    successRate: number;
    throughput: number;
  }[];
}

export type TracingOverhead = Target<number> & {
  tracedP50: number;
  untracedP50: number;
  ratio: number;
  /** Whether the p50s are of every round's orders pooled, or the median round's. */
  pooled: boolean;
  /** Each side's order-service CPU time per order (ms), where it was measured. */
  cpuMsPerOrder?: { traced: number; untraced: number };
  rounds: number[];
};

export const successRate = (run: RunResult) => (run.requests ? run.successes / run.requests : 0);

const find = (results: readonly RunResult[], where: Partial<RunResult>) =>
  results.find((r) =>
    Object.entries(where).every(([key, value]) => r[key as keyof RunResult] === value),
  );

/** The p50s the latency targets compare, per round, or of the main runs when there are no rounds. */
function latencyPairs(results: readonly RunResult[]) {
  const rounds = [...new Set(results.map((r) => r.round))];
  return rounds.map((round) => {
    const p50 = (where: Partial<RunResult>) => find(results, { ...where, round })?.latencyMs?.p50;
    return {
      floor: p50({ step: 'transaction+publish' }),
      healthy: p50({ architecture: 'event-driven', scenario: 'healthy' }),
      slow: p50({ architecture: 'event-driven', scenario: 'seller-slow' }),
    };
  });
}

/** The median of each figure over the pairs that have both of its sides. */
function medianOf(
  pairs: ReturnType<typeof latencyPairs>,
  other: 'floor' | 'slow',
  figure: (healthy: number, other: number) => number,
) {
  const complete = pairs.flatMap(({ healthy, [other]: value }) =>
    healthy !== undefined && value !== undefined ? [{ healthy, value }] : [],
  );
  if (complete.length === 0) return undefined;
  const values = complete.map(({ healthy, value }) => figure(healthy, value));
  return {
    value: median(values),
    healthy: median(complete.map((c) => c.healthy)),
    other: median(complete.map((c) => c.value)),
    rounds: values,
  };
}

export function keyFigures(all: readonly RunResult[]): KeyFigures {
  const results = all.filter((r) => r.tracing === undefined && r.hot === undefined);
  const main = results.filter((r) => r.round === undefined);
  const eventDriven = (scenario: ScenarioName) =>
    find(main, { architecture: 'event-driven', scenario });
  const failing = eventDriven('seller-failing');
  const burst = eventDriven('burst');
  const figures: KeyFigures = { requestResponse: [] };
  const rounds = results.some((r) => r.round !== undefined)
    ? latencyPairs(results.filter((r) => r.round !== undefined))
    : latencyPairs(main);
  const ratio = medianOf(rounds, 'floor', (healthy, floor) => round(healthy / floor, 2));
  if (ratio) {
    figures.floorRatio = {
      value: ratio.value,
      target: 1.3,
      met: ratio.value <= 1.3,
      eventDrivenP50: ratio.healthy,
      floorP50: ratio.other,
      rounds: ratio.rounds,
    };
  }
  const change = medianOf(rounds, 'slow', (healthy, slow) =>
    round(relativeChange(healthy, slow), 3),
  );
  if (change) {
    figures.sellerSlowChange = {
      value: change.value,
      target: 0.1,
      met: Math.abs(change.value) < 0.1,
      healthyP50: change.healthy,
      slowP50: change.other,
      rounds: change.rounds,
    };
  }
  if (failing) {
    const rate = round(successRate(failing), 4);
    figures.sellerFailingSuccessRate = {
      value: rate,
      target: 1,
      met: rate === 1,
      requests: failing.requests,
      successes: failing.successes,
    };
  }
  if (failing?.recovery) {
    const { recovery } = failing;
    figures.recovery = { ...recovery, met: recovery.stuck === 0 && recovery.open === 0 };
  }
  if (burst?.backlog && burst.effects) {
    figures.burstLost = {
      ...burst.backlog,
      value: burst.backlog.lost,
      target: 0,
      met: burst.backlog.lost === 0,
      committed: burst.effects.orders,
    };
  }
  const tracing = tracingOverhead(all, 'on');
  if (tracing) {
    const everyOrder = tracingOverhead(all, 'all');
    figures.tracingOverhead = everyOrder ? { ...tracing, everyOrder } : tracing;
  }
  const hot = hotProductFigure(all);
  if (hot) figures.hotProduct = hot;
  for (const run of main) {
    if (run.architecture === 'floor' || run.architecture === 'event-driven') continue;
    const base = eventDriven(run.scenario)?.latencyMs?.p50;
    const p50 = run.latencyMs?.p50;
    figures.requestResponse.push({
      architecture: run.architecture,
      scenario: run.scenario,
      p50,
      p50OverEventDriven: p50 !== undefined && base ? round(p50 / base, 2) : undefined,
      successRate: round(successRate(run), 4),
      throughput: run.throughput,
    });
  }
  return figures;
}

/**
 * A traced side's p50 against the untraced one's: of all their orders pooled (the sides
 * interleaved in every round), or without pooled runs (an older report) the median round's. The
 * rounds' own differences show the spread.
 */
function tracingOverhead(
  all: readonly RunResult[],
  traced: Exclude<TracingSide, 'off'>,
): TracingOverhead | undefined {
  const runs = all.filter((r) => r.tracing !== undefined);
  const numbered = [...new Set(runs.flatMap((r) => (r.round === undefined ? [] : [r.round])))];
  const p50 = (side: TracingSide, n: number | undefined) =>
    runs.find((r) => r.round === n && r.tracing === side)?.latencyMs?.p50;
  const rounds = numbered.flatMap((n) => {
    const [on, off] = [p50(traced, n), p50('off', n)];
    return on !== undefined && off !== undefined ? [{ on, off }] : [];
  });
  if (rounds.length === 0) return undefined;
  const differences = rounds.map(({ on, off }) => round(on - off, 2));
  const [pooledOn, pooledOff] = [p50(traced, undefined), p50('off', undefined)];
  const pooled = pooledOn !== undefined && pooledOff !== undefined;
  const tracedP50 = pooled ? pooledOn : round(median(rounds.map((r) => r.on)), 2);
  const untracedP50 = pooled ? pooledOff : round(median(rounds.map((r) => r.off)), 2);
  const value = round(pooled ? tracedP50 - untracedP50 : median(differences), 2);
  const ratio = round(1 + value / untracedP50, 3);
  const cpu = (side: TracingSide) =>
    runs.find((r) => r.round === undefined && r.tracing === side)?.cpuMsPerOrder;
  const [cpuOn, cpuOff] = [cpu(traced), cpu('off')];
  return {
    value,
    target: 1,
    met: value <= 1 || ratio <= 1.05,
    tracedP50,
    untracedP50,
    ratio,
    pooled,
    rounds: differences,
    ...(cpuOn !== undefined &&
      cpuOff !== undefined && { cpuMsPerOrder: { traced: cpuOn, untraced: cpuOff } }),
  };
}

export type { BacklogOutcome, RunResult, TracingSide };
