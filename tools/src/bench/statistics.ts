/** Latency or duration percentiles, in milliseconds. */
export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile of ascending `sorted`: the smallest value with `p` % at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

export function distribution(samples: readonly number[]): Distribution | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p));
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export interface Interval {
  start: number;
  end: number;
}

/** The most intervals open at once, and when: an interval holds from its start until its end. */
export function peakOverlap(intervals: readonly Interval[]): { peak: number; at: number } {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, change: 1 },
    { at: end, change: -1 },
  ]);
  // At the same instant an interval that ends is counted out before one that starts.
  edges.sort((a, b) => a.at - b.at || a.change - b.change);
  let open = 0;
  let best = { peak: 0, at: Number.NaN };
  for (const edge of edges) {
    open += edge.change;
    if (open > best.peak) best = { peak: open, at: edge.at };
  }
  return best;
}

/** `after` relative to `before`: 0.1 is 10 % more. */
export const relativeChange = (before: number, after: number) => (after - before) / before;

export const round = (value: number, digits = 1) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** The middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}
