import { topology } from '@orderflow/topology';
import {
  awaitEffects,
  ordersCreatedBetween,
  type EffectsOutcome,
  type EffectsTrace,
} from './effects.js';
import type { BenchContext } from './context.js';
import { pacedLoop, type Floor } from './floor.js';
import { measureRecovery } from './recovery.js';
import { loadOrders, type LoadOutcome, type PlacedRef } from './load.js';
import type { BacklogOutcome, RunResult } from './run-result.js';
import {
  healthySeller,
  offeredRate,
  scenarios,
  type Architecture,
  type FloorStep,
  type Load,
  type ScenarioName,
} from './settings.js';
import { distribution, peakOverlap } from './statistics.js';
import { orderDrafts } from './workload.js';

/** A request-response order is done or failed once answered: one look, after the last answers. */
const requestResponseSettleMs = 1_000;

/** One step of the floor, at the steady load unless warming up. */
export async function floorRun(
  ctx: BenchContext,
  floor: Floor,
  step: FloorStep,
  { load = { ...ctx.settings.steady, seconds: ctx.settings.floorSeconds }, round }: RunOptions = {},
): Promise<RunResult> {
  const { settings } = ctx;
  const hot = step === 'transaction+publish/hot';
  ctx.progress(`floor ${step}${roundLabel(round)}: ${describe(load)}`);
  const outcome = await pacedLoop(
    load,
    orderDrafts(ctx.customers, settings.products, hot ? 'hot' : 'spread'),
    floor.operation(step),
  );
  const effects = outcome.placed.length
    ? await settleEffects(ctx, outcome.placed, 'floor')
    : undefined;
  const scenario = hot ? 'hot-product' : 'healthy';
  return runResult({ architecture: 'floor', scenario, step, round }, load, outcome, effects);
}

/** A short unreported run after the order service (re)starts, then the wait for its effects. */
export async function warmUp(
  ctx: BenchContext,
  architecture: Architecture,
  orderApi = ctx.target.orderApi,
): Promise<void> {
  const { settings, target } = ctx;
  ctx.progress(`${architecture} warm-up at ${orderApi}: ${describe(settings.warmup)}`);
  const outcome = await loadOrders({
    orderApi,
    load: settings.warmup,
    timeoutSeconds: settings.requestTimeoutSeconds,
    nextOrder: orderDrafts(ctx.customers, settings.products, 'spread'),
  });
  const committed = await ordersCreatedBetween(target.db, outcome.startedAt, Date.now());
  await settleEffects(ctx, committed, architecture);
}

export interface ApiRunOptions {
  round?: number;
}

export async function apiRun(
  ctx: BenchContext,
  architecture: Architecture,
  name: ScenarioName,
  { round }: ApiRunOptions = {},
): Promise<RunResult> {
  const { settings, target } = ctx;
  const scenario = scenarios[name];
  const load = scenario.load === 'burst' ? settings.burst : settings.steady;
  ctx.progress(`${architecture} ${name}${roundLabel(round)}: ${describe(load)}`);
  await target.setSellers(scenario.seller);
  const outcome = await loadOrders({
    orderApi: target.orderApi,
    load,
    timeoutSeconds: settings.requestTimeoutSeconds,
    nextOrder: orderDrafts(ctx.customers, settings.products, scenario.products),
  });
  const recovering = scenario.outage && architecture === 'event-driven';
  if (recovering) await sleepUntil(outcome.startedAt + settings.sellerOutageSeconds * 1000);
  // Mend: what the subscribers retry from now on succeeds.
  await target.setSellers(healthySeller);
  const mendedAt = Date.now();
  const committed = await ordersCreatedBetween(target.db, outcome.startedAt, Date.now());
  const stallMs = settings.stallSeconds * 1000;
  const effects = await settleEffects(
    ctx,
    committed,
    architecture,
    recovering ? Math.max(stallMs, sellerRetryStallMs) : stallMs,
  );
  const run = runResult({ architecture, scenario: name, round }, load, outcome, effects);
  if (recovering) {
    return { ...run, recovery: await measureRecovery(ctx, committed, mendedAt, effects) };
  }
  return scenario.load === 'burst' ? { ...run, backlog: backlog(outcome, effects) } : run;
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/**
 * The paired rounds (`BenchSettings.rounds`): the floor, event-driven healthy and with the slow
 * seller, back to back, so each round's figures share the machine's state of the moment. Every
 * other round runs them in the reverse order, so that a drift (a process still warming up, a
 * backlog draining) favours neither side of a comparison.
 */
export async function pairedRounds(ctx: BenchContext, floor: Floor): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (let round = 1; round <= ctx.settings.rounds; round += 1) {
    const runs = [
      () => floorRun(ctx, floor, 'transaction+publish', { round }),
      () => apiRun(ctx, 'event-driven', 'healthy', { round }),
      () => apiRun(ctx, 'event-driven', 'seller-slow', { round }),
    ];
    for (const run of round % 2 ? runs : runs.reverse()) results.push(await run());
  }
  await floor.markAllPublished();
  return results;
}

export interface RunOptions {
  load?: Load;
  round?: number | undefined;
}

const roundLabel = (round: number | undefined) => (round === undefined ? '' : `, round ${round}`);

const describe = (load: Load) =>
  `${load.connections} connections × ${load.perConnection}/s = ${offeredRate(load)} orders/s, ${load.seconds} s`;

/** Waits for the subscribers to finish `orders`: for request-response, one look after the answers. */
export async function settleEffects(
  ctx: BenchContext,
  orders: readonly PlacedRef[],
  architecture: Architecture | 'floor',
  stallMs = ctx.settings.stallSeconds * 1000,
): Promise<EffectsTrace> {
  const eventual = architecture === 'event-driven' || architecture === 'floor';
  return awaitEffects(ctx.target.db, ctx.target.subscribers, orders, {
    timeoutMs: eventual ? ctx.settings.settleSeconds * 1000 : requestResponseSettleMs,
    stallMs,
  });
}

/**
 * After an outage, a seller part may be due again up to its longest backoff (+20 % jitter) after
 * the mend, plus a sweep: no order settling for that long is not yet a stall.
 */
const sellerRetryStallMs = (topology.delivery.local.maxBackoffSeconds * 1.2 + 3) * 1000;

function backlog(outcome: LoadOutcome, effects: EffectsTrace): BacklogOutcome {
  const peak = peakOverlap(effects.intervals);
  return {
    peakOrders: peak.peak,
    peakAtSeconds: (peak.at - outcome.startedAt) / 1000,
    drainSeconds:
      effects.lastDoneAt === undefined
        ? undefined
        : Math.max(0, effects.lastDoneAt - outcome.endedAt) / 1000,
    lost: effects.orders - effects.done,
    endToEndRate:
      effects.lastDoneAt === undefined
        ? undefined
        : Math.round((effects.done / (effects.lastDoneAt - outcome.startedAt)) * 10_000) / 10,
  };
}

export function runResult(
  identity: Pick<RunResult, 'architecture' | 'scenario' | 'step' | 'round' | 'tracing'>,
  load: Load,
  outcome: LoadOutcome,
  effects: EffectsTrace | undefined,
): RunResult {
  const seconds = (outcome.endedAt - outcome.startedAt) / 1000;
  return {
    ...identity,
    connections: load.connections,
    offeredRate: offeredRate(load),
    seconds,
    requests: outcome.requests,
    successes: outcome.successes,
    failures: outcome.failures,
    throughput: Math.round((outcome.successes / seconds) * 10) / 10,
    latencyMs: distribution(outcome.latenciesMs),
    ...(effects ? { effects: withoutIntervals(effects) } : {}),
  };
}

const withoutIntervals = ({ intervals: _intervals, ...outcome }: EffectsTrace): EffectsOutcome =>
  outcome;
