import type { FulfilmentRecord } from '@orderflow/events';
import type { DeadLetterRecord } from './dead-letter-record.js';
import type { DeliveryContext } from './delivery.js';

/**
 * A delivery split into independent parts (the seller service: one part per seller of the
 * order). The push tries each part once and is acknowledged; a part that failed is retried by
 * the sweep (`POST /internal/parts/retry`) with its own backoff, and dead-lettered on its own.
 * So one failing seller never holds back the subscription, nor the order's other sellers.
 */
export type PartState = 'retrying' | 'done' | 'dead-lettered';

export interface PartRecord {
  state: PartState;
  /** Attempts made, or begun: a claim counts its attempt when it takes the part. */
  attempts: number;
  lastError?: string | undefined;
  /** `retrying` only: when the part is due (epoch ms); while a claimed attempt runs, its lease end. */
  dueAt?: number | undefined;
}

export type Parts = Readonly<Record<string, PartRecord>>;

export interface PartPolicy {
  /** The attempt that reaches it, failing, dead-letters the part. */
  maxAttempts: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** What one attempt of one part came to: `error` when it failed. */
export interface PartOutcome {
  name: string;
  attempt: number;
  error?: string | undefined;
}

/** The parts a sweep took, to run and then settle. */
export interface PartClaim {
  delivery: DeliveryContext;
  /** The message as it was pushed: the event the parts are rebuilt from. */
  message: { data: string; attributes: Record<string, string> };
  parts: { name: string; attempt: number }[];
  /** The due parts dead-lettered instead (see `claimDue`), recorded with the claim. */
  deadLettered: DeadLetterRecord[];
}

/** The parts after outcomes were settled, and those that ran out of attempts. */
export interface Settled {
  parts: Record<string, PartRecord>;
  deadLettered: [string, PartRecord][];
}

/** The wait after `failed` failed attempts: exponential, capped, with ±20 % jitter. */
export function backoffMs(failed: number, policy: PartPolicy, random = Math.random): number {
  const exponential = policy.minBackoffMs * 2 ** Math.max(0, failed - 1);
  // Jitter spreads the parts that failed together (one seller down for many orders).
  const jittered = Math.min(policy.maxBackoffMs, exponential) * (0.8 + 0.4 * random());
  return Math.round(Math.min(policy.maxBackoffMs, jittered));
}

/** The part after its attempt `attempt` ended: done, due again after a backoff, or dead-lettered. */
export function afterAttempt(
  outcome: PartOutcome,
  now: number,
  policy: PartPolicy,
  random = Math.random,
): PartRecord {
  const { attempt, error } = outcome;
  if (error === undefined) return { state: 'done', attempts: attempt };
  if (attempt >= policy.maxAttempts) {
    return { state: 'dead-lettered', attempts: attempt, lastError: error };
  }
  return {
    state: 'retrying',
    attempts: attempt,
    lastError: error,
    dueAt: now + backoffMs(attempt, policy, random),
  };
}

/**
 * Takes every part that is due: its attempt counted, its due time moved to the end of the lease,
 * so no other sweep takes it meanwhile, and one that died with it is taken again afterwards. A
 * part due again after its last attempt was claimed never settled (its retry threw, or the sweep
 * died, every time): it is dead-lettered now, whatever threw, rather than claimed for ever.
 */
export function claimDue(
  parts: Parts,
  now: number,
  leaseMs: number,
  policy: PartPolicy,
): Settled & { claimed: { name: string; attempt: number }[] } {
  const next = { ...parts };
  const claimed: { name: string; attempt: number }[] = [];
  const deadLettered: [string, PartRecord][] = [];
  for (const [name, part] of Object.entries(parts)) {
    if (part.state !== 'retrying' || (part.dueAt ?? 0) > now) continue;
    if (part.attempts >= policy.maxAttempts) {
      const lastError = `attempt ${part.attempts} never finished; last error: ${part.lastError ?? 'none'}`;
      next[name] = { state: 'dead-lettered', attempts: part.attempts, lastError };
      deadLettered.push([name, next[name]]);
      continue;
    }
    const attempt = part.attempts + 1;
    next[name] = { ...part, attempts: attempt, dueAt: now + leaseMs };
    claimed.push({ name, attempt });
  }
  return { parts: next, claimed, deadLettered };
}

/**
 * Settles the outcomes of claimed attempts; an outcome whose attempt is no longer the part's
 * (a replay requeued it, or another sweep took it after the lease ran out) is old news.
 */
export function settle(
  parts: Parts,
  outcomes: readonly PartOutcome[],
  now: number,
  policy: PartPolicy,
  random = Math.random,
): Settled {
  const next = { ...parts };
  const deadLettered: [string, PartRecord][] = [];
  for (const outcome of outcomes) {
    const part = next[outcome.name];
    if (part?.state !== 'retrying' || part.attempts !== outcome.attempt) continue;
    const after = afterAttempt(outcome, now, policy, random);
    next[outcome.name] = after;
    if (after.state === 'dead-lettered') deadLettered.push([outcome.name, after]);
  }
  return { parts: next, deadLettered };
}

/** The outcomes of a push's first tries of the parts new to the delivery, settled likewise. */
export function settlePushed(
  parts: Parts,
  outcomes: readonly PartOutcome[],
  now: number,
  policy: PartPolicy,
  random = Math.random,
): Settled {
  const fresh = outcomes.filter((o) => !parts[o.name]);
  const begun = Object.fromEntries(
    fresh.map((o): [string, PartRecord] => [o.name, { state: 'retrying', attempts: o.attempt }]),
  );
  return settle({ ...parts, ...begun }, fresh, now, policy, random);
}

/**
 * A replay of a dead-lettered part: due now, with a fresh count of attempts. `done` when the
 * part has succeeded meanwhile; `missing` when the delivery has no such part.
 */
export function requeue(
  parts: Parts,
  name: string,
  now: number,
): { outcome: 'requeued' | 'done' | 'missing'; parts: Record<string, PartRecord> } {
  const part = parts[name];
  if (!part) return { outcome: 'missing', parts: { ...parts } };
  if (part.state === 'done') return { outcome: 'done', parts: { ...parts } };
  if (part.state === 'retrying') return { outcome: 'requeued', parts: { ...parts } };
  return {
    outcome: 'requeued',
    parts: { ...parts, [name]: { state: 'retrying', attempts: 0, dueAt: now } },
  };
}

/** When the next part is due, for the sweep's query; undefined when none is retrying. */
export function nextDueAt(parts: Parts): number | undefined {
  const due = Object.values(parts)
    .filter((p) => p.state === 'retrying')
    .map((p) => p.dueAt ?? 0);
  return due.length ? Math.min(...due) : undefined;
}

/**
 * The subscriber's one fulfilment record, from its parts: dead-lettered if one is, retrying
 * while one has failed and is retried, pending while one has not been tried (a replayed part),
 * done when all are. Attempts and error are those of the part worst off.
 */
export function partsFulfilment(eventId: string, parts: Parts, now: Date): FulfilmentRecord {
  const updatedAt = now.toISOString();
  const all = Object.values(parts);
  const worst = (state: PartState) =>
    all
      .filter((p) => p.state === state && (state !== 'retrying' || p.lastError !== undefined))
      .sort((a, b) => b.attempts - a.attempts)[0];
  const failing = worst('dead-lettered') ?? worst('retrying');
  if (failing) {
    return {
      state: failing.state === 'dead-lettered' ? 'dead-lettered' : 'retrying',
      eventId,
      attempts: failing.attempts,
      ...(failing.lastError === undefined ? {} : { lastError: failing.lastError }),
      updatedAt,
    };
  }
  if (all.some((p) => p.state !== 'done')) {
    return { state: 'pending', eventId, attempts: 0, updatedAt };
  }
  const attempts = Math.max(1, ...all.map((p) => p.attempts));
  return { state: 'done', eventId, attempts, updatedAt };
}

/** The dead letter of one part, as `dlq list` shows it and `dlq replay` requeues it. */
export function partDeadLetter(
  claim: Pick<PartClaim, 'delivery' | 'message'>,
  name: string,
  part: PartRecord,
  now: Date,
): DeadLetterRecord {
  const { delivery, message } = claim;
  return {
    subscriber: delivery.subscriber,
    key: `${delivery.eventId}~${name}`,
    eventId: delivery.eventId,
    orderId: delivery.orderId,
    type: delivery.eventType,
    part: name,
    attempts: part.attempts,
    reason: part.lastError ?? 'every attempt failed',
    deadLetteredAt: now.toISOString(),
    message,
    state: 'dead-lettered',
  };
}
