/** How the saturation search steps through offered rates. */
export interface StepSearch {
  /** The first rate offered, orders/s. */
  startRate: number;
  /** Each rate after a passed step, while none failed: the last passed times this. */
  growth: number;
  /** Stop once the lowest failed rate is within this share above the highest passed one. */
  precision: number;
  /** At most this many steps per side, whatever is left to narrow. */
  maxSteps: number;
}

export interface StepOutcome {
  rate: number;
  passed: boolean;
}

/**
 * The next rate to offer, or undefined when the search is done: up by `growth` until a step
 * fails, then the geometric middle of the highest passed and the lowest failed rate above it
 * (rates are whole orders/s). A pass above a failure (noise on a shared machine) does not move
 * the answer: the saturation is the highest passed rate below every failure.
 */
export function nextRate(search: StepSearch, steps: readonly StepOutcome[]): number | undefined {
  if (steps.length >= search.maxSteps) return undefined;
  if (steps.length === 0) return search.startRate;
  const { passed, failed } = bracket(steps);
  const candidate =
    failed === undefined
      ? Math.round((passed ?? 0) * search.growth)
      : passed === undefined
        ? Math.floor(failed / search.growth)
        : failed <= passed * (1 + search.precision)
          ? undefined
          : Math.round(Math.sqrt(passed * failed));
  if (candidate === undefined || candidate < 1) return undefined;
  return steps.some((s) => s.rate === candidate) ? undefined : candidate;
}

/** The lowest failed rate, and the highest passed rate below it: the saturation found so far. */
export function bracket(steps: readonly StepOutcome[]): { passed?: number; failed?: number } {
  const failures = steps.filter((s) => !s.passed).map((s) => s.rate);
  const failed = failures.length ? Math.min(...failures) : undefined;
  const passes = steps.filter((s) => s.passed && (failed === undefined || s.rate < failed));
  const passed = passes.length ? Math.max(...passes.map((s) => s.rate)) : undefined;
  return { ...(passed !== undefined && { passed }), ...(failed !== undefined && { failed }) };
}
