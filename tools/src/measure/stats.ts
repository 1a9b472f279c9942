/** The value at percentile `p` (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summary(values: readonly number[]): string {
  const ms = (p: number) => `${percentile(values, p).toFixed(1)} ms`;
  return `n=${values.length} median ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${ms(100)}`;
}
