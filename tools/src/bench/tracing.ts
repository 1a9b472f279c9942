import type { RunResult } from './results.js';
import { apiRun, warmUp, type BenchContext } from './runs.js';
import type { OrderEnv } from './target.js';

/** The two sides of the tracing comparison, each an order service of its own. */
export const tracingSides: readonly { side: 'on' | 'off'; port: number; env: OrderEnv }[] = [
  // As deployed: the preload's SDK, spans exported over OTLP in production's 5 s batches.
  { side: 'on', port: 28088, env: { TRACE_EXPORT_DELAY_MS: '5000' } },
  // No OTLP URL: the preload starts no SDK at all, as a deployment with telemetry off.
  { side: 'off', port: 28089, env: { TELEMETRY_OTLP_URL: undefined } },
];

/**
 * What tracing costs the order path (`--tracing`): the order service traced against the same
 * service untraced, both running throughout against the same emulators, so no restart separates
 * them. They take turns in rounds, every other round the untraced first, so that a drift of the
 * machine favours neither, and the median round decides.
 */
export async function tracingRounds(
  ctx: BenchContext,
  urls: Record<'on' | 'off', string>,
): Promise<RunResult[]> {
  const sides = tracingSides.map(({ side }) => ({ side, orderApi: urls[side] }));
  for (const { orderApi } of sides) await warmUp(ctx, 'event-driven', orderApi);
  const results: RunResult[] = [];
  for (let round = 1; round <= ctx.settings.tracingRounds; round += 1) {
    for (const tracing of round % 2 ? sides : [...sides].reverse()) {
      results.push(await apiRun(ctx, 'event-driven', 'healthy', { round, tracing }));
    }
  }
  return results;
}
