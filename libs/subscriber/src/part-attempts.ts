import { errorFields, withSpan, type Logger } from '@orderflow/platform';
import type { PartOutcome } from './parts.js';

/** A part of the work for one event, tried on its own. */
export interface Part {
  /** Unique within the event, stable across deliveries: `seller:<id>`. */
  name: string;
  /** Throws when the part failed; `signal` aborts when the attempt's lease nears its end. */
  run: (signal: AbortSignal) => Promise<void>;
}

/**
 * Runs each part once, all at once, so a slow part (a seller timing out) delays no other; each
 * is a span of the delivery's trace. A failure is an outcome, not an exception.
 */
export function tryParts(
  parts: readonly Part[],
  attemptOf: (name: string) => number,
  leaseMs: number,
  logger: Logger,
): Promise<PartOutcome[]> {
  // Stops before the lease ends, so no other attempt of the same part overlaps this one.
  const signal = AbortSignal.timeout(leaseMs * 0.8);
  return Promise.all(
    parts.map(async ({ name, run }): Promise<PartOutcome> => {
      const attempt = attemptOf(name);
      try {
        await withSpan(`part ${name}`, { attributes: { 'orderflow.part': name } }, () =>
          run(signal),
        );
        return { name, attempt };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn('part failed; the sweep retries it', {
          part: name,
          attempt,
          ...errorFields(error),
        });
        return { name, attempt, error: message };
      }
    }),
  );
}
