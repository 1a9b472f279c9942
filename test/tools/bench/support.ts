import type { RunResult } from '@orderflow/tools/bench/results';

/** A run's result with plausible figures; the latency's p50 given, the rest derived from it. */
export function aRun(overrides: Partial<RunResult> & { p50?: number } = {}): RunResult {
  const { p50 = 50, ...rest } = overrides;
  return {
    architecture: 'event-driven',
    scenario: 'healthy',
    connections: 8,
    offeredRate: 8,
    seconds: 30,
    requests: 240,
    successes: 240,
    failures: {},
    throughput: 8,
    latencyMs: { count: 240, p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 },
    ...rest,
  };
}
