import { setTimeout as sleep } from 'node:timers/promises';
import { mergeOutcomes, type LoadOutcome } from './load.js';
import { httpOrders, openLoop } from './open-loop.js';
import { deployedSampleRatio } from './deployed.js';
import type { RunResult, TracingSide } from './results.js';
import type { BenchContext } from './context.js';
import { runResult, settleEffects, warmUp } from './runs.js';
import type { TracingSettings } from './settings.js';
import { distribution, round } from './statistics.js';
import type { OrderEnv, OrderInstance } from './target.js';
import { orderDrafts } from './workload.js';

/** The sides of the tracing comparison, each an order service of its own (port: after the base). */
export const tracingSides = (): readonly {
  side: TracingSide;
  portOffset: number;
  env: OrderEnv;
}[] => [
  // As deployed: the preload's SDK, the deployed sampling, spans exported over OTLP in production's 5 s batches.
  {
    side: 'on',
    portOffset: 88,
    env: { TRACE_EXPORT_DELAY_MS: '5000', TRACE_SAMPLE_RATIO: String(deployedSampleRatio()) },
  },
  // The same with every order sampled, as the local system runs.
  { side: 'all', portOffset: 89, env: { TRACE_EXPORT_DELAY_MS: '5000', TRACE_SAMPLE_RATIO: '1' } },
  // No OTLP URL: the preload starts no SDK at all, as a deployment with telemetry off.
  { side: 'off', portOffset: 93, env: { TELEMETRY_OTLP_URL: undefined } },
];

/** Each side's latency is its own; the client gives up on an order after this long. */
const timeoutMs = 30_000;

/**
 * What tracing costs the order path (`--tracing`): the order service traced (as deployed, and
 * with every order sampled) against the same service untraced, all running throughout against
 * the same emulators. Within a round their orders interleave, each side's a third of a period
 * after the previous one's, so all meet the same moments of the shared machine (an export batch,
 * a JVM's collection, the subscribers' work); the first side rotates from round to round. Each
 * side's orders of every round are then pooled, and the pooled p50s decide. Back-to-back runs of
 * the sides, tried first, differed by more from one half-minute to the next than tracing costs.
 */
export async function tracingRounds(
  ctx: BenchContext,
  instances: Record<TracingSide, OrderInstance>,
): Promise<RunResult[]> {
  const settings = ctx.settings.tracing;
  const clients = tracingSides().map(({ side }) => ({
    side,
    ...httpOrders(instances[side].url, 4),
  }));
  try {
    // All at once. Warmed one after another, the side warmed first cost about 1 ms of CPU an
    // order more than the others for the whole run, whatever its configuration: untraced and
    // started first, it was the dearest (docs/benchmarks.md, what tracing costs).
    await Promise.all(clients.map(({ side }) => warmUp(ctx, 'event-driven', instances[side].url)));
    const cpuBefore = clients.map(({ side }) => instances[side].cpuMs());
    const rounds: { side: TracingSide; outcome: LoadOutcome; run: RunResult }[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      // Each round another side goes first: over the rounds each side takes each place.
      const first = (round - 1) % clients.length;
      const turns = [...clients.slice(first), ...clients.slice(0, first)];
      rounds.push(...(await interleavedRound(ctx, settings, turns, round)));
    }
    const pooled = clients.map(({ side }, i) => {
      const [before, after] = [cpuBefore[i], instances[side].cpuMs()];
      const cpuMs = before === undefined || after === undefined ? undefined : after - before;
      const outcomes = rounds.filter((r) => r.side === side).map((r) => r.outcome);
      return pooledRun(side, settings, outcomes, cpuMs);
    });
    return [...rounds.map((r) => r.run), ...pooled];
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function interleavedRound(
  ctx: BenchContext,
  settings: TracingSettings,
  turns: readonly ({ side: TracingSide } & ReturnType<typeof httpOrders>)[],
  round: number,
): Promise<{ side: TracingSide; outcome: LoadOutcome; run: RunResult }[]> {
  const { ratePerSide: rate, seconds } = settings;
  ctx.progress(
    `tracing round ${round}: ${turns.map((t) => t.side).join(', then ')}, ${rate} orders/s each, interleaved, ${seconds} s`,
  );
  const nextOrder = orderDrafts(ctx.customers, ctx.settings.products, 'spread');
  const offsetMs = 1000 / rate / turns.length;
  const outcomes = await Promise.all(
    turns.map(async ({ side, operation }, i) => {
      await sleep(i * offsetMs);
      return { side, outcome: await openLoop({ rate, seconds, timeoutMs }, nextOrder, operation) };
    }),
  );
  const load = { connections: 1, perConnection: rate, seconds };
  const results = [];
  for (const { side, outcome } of outcomes) {
    const effects = await settleEffects(ctx, outcome.placed, 'event-driven');
    const identity = { ...tracingRun, round, tracing: side };
    results.push({ side, outcome, run: runResult(identity, load, outcome, effects) });
  }
  return results;
}

const tracingRun = { architecture: 'event-driven', scenario: 'healthy' } as const;

/**
 * One side's orders of every round as one run without a round: interleaved, the sides met the
 * same moments, so their pooled p50s compare like with like, on six times a round's orders.
 */
function pooledRun(
  side: TracingSide,
  settings: TracingSettings,
  outcomes: readonly LoadOutcome[],
  cpuMs: number | undefined,
): RunResult {
  const { requests, successes, failures, latenciesMs } = mergeOutcomes(outcomes);
  // The rounds' own seconds: the waits for effects between them are not the sides'.
  const seconds = settings.seconds * outcomes.length;
  return {
    ...tracingRun,
    tracing: side,
    connections: 1,
    offeredRate: settings.ratePerSide,
    seconds,
    requests,
    successes,
    failures,
    throughput: round(successes / seconds, 1),
    latencyMs: distribution(latenciesMs),
    ...(cpuMs !== undefined && successes > 0 && { cpuMsPerOrder: round(cpuMs / successes, 2) }),
  };
}
