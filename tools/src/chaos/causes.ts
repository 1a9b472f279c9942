import type { TimelineEntry } from './faults.js';

/** A kind of fault that can cause an outcome; `instance: 'order'` matches every order instance. */
export type Cause =
  | { kind: 'kill'; instance: string }
  | { kind: 'mail'; mode: 'refuse' | 'hang' }
  | { kind: 'freeze'; emulator: 'firestore' | 'pubsub' };

/** How long after a fault its consequences may still show: retries, leases and timeouts. */
const aftermathMs = 60_000;

/**
 * Whether a fault of one of these kinds was under way around `times` (epoch ms): from the
 * fault's start to its aftermath after its end, overlapping the span of `times`.
 */
export function explainedBy(
  timeline: readonly TimelineEntry[],
  causes: readonly Cause[],
  times: readonly number[],
): boolean {
  const [from, to] = [Math.min(...times), Math.max(...times)];
  return timeline.some(
    (entry) =>
      causes.some((cause) => matches(entry, cause)) &&
      entry.startedAt <= to &&
      entry.endedAt + aftermathMs >= from,
  );
}

function matches({ fault }: TimelineEntry, cause: Cause): boolean {
  if (fault.kind !== cause.kind) return false;
  if (fault.kind === 'kill' && cause.kind === 'kill') {
    return fault.instance === cause.instance || fault.instance.startsWith(`${cause.instance}#`);
  }
  if (fault.kind === 'mail' && cause.kind === 'mail') return fault.mode === cause.mode;
  if (fault.kind === 'freeze' && cause.kind === 'freeze') return fault.emulator === cause.emulator;
  return false;
}

/**
 * The faults under way around each concerned order's placement (from its start to a minute after
 * its end), counted by kind: which faults a line's orders have in common. An order with none
 * counts under `none`.
 */
export function faultsAround(
  timeline: readonly TimelineEntry[],
  placedAt: readonly number[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of placedAt) {
    const around = timeline.filter((e) => e.startedAt <= t && e.endedAt + aftermathMs >= t);
    const kinds = new Set(around.map((e) => kindOf(e)));
    for (const kind of kinds.size ? kinds : ['none']) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function kindOf({ fault }: TimelineEntry): string {
  switch (fault.kind) {
    case 'kill':
      return `kill ${fault.instance.replace(/#\d+$/, '')}`;
    case 'freeze':
      return `${fault.emulator} frozen`;
    case 'seller':
      return `seller ${fault.mode}`;
    case 'mail':
      return `mail ${fault.mode}`;
    case 'operator':
      return 'operator';
  }
}
