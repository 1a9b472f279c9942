import type { FulfilmentRecord } from '@orderflow/events';
import { replayAttribute, type DeadLetterRecord } from './dead-letter-record.js';
import type { DeliveryDoc } from './firestore-paths.js';
import type { DeliveryContext, DeliveryKey } from './delivery.js';
import type { PartClaim, PartOutcome, PartPolicy } from './parts.js';

export type BeginOutcome =
  | { status: 'done' }
  /** Another delivery of the same event holds the lease: answer non-2xx, Pub/Sub comes back. */
  | { status: 'busy' }
  | { status: 'acquired'; attempt: number; completedSteps: string[] };

export interface Failure {
  error: string;
  /** The attempt `begin` handed out: a later attempt's outcome is not overwritten by an earlier one's. */
  attempt: number;
}

/**
 * What recording a dead letter did: `stale` when it is old news (see `deadLetterNews`); `busy`
 * when an attempt holds the delivery's lease, so nothing was written and the recorder answers
 * non-2xx: Pub/Sub pushes the dead letter again once the attempt is over.
 */
export type RecordOutcome = 'recorded' | 'stale' | 'busy';

/**
 * Which events a subscriber has handled: the guard that makes a redelivered or
 * concurrently delivered message produce its effect once.
 */
export interface DeliveryLedger {
  begin(delivery: DeliveryContext, now: Date, leaseMs: number): Promise<BeginOutcome>;
  /** Records part of the work as done, so a retry does not repeat it. */
  completeStep(delivery: DeliveryKey, step: string): Promise<void>;
  complete(delivery: DeliveryContext, now: Date, attempt: number): Promise<void>;
  fail(delivery: DeliveryContext, now: Date, failure: Failure): Promise<void>;
  /** Remembers why a message that is not a valid event was refused, for `dlq list`. */
  reject(subscriber: string, messageKey: string, reason: string, now: Date): Promise<void>;
  /** The last error a delivery of this message met, or why it was refused. */
  lastError(subscriber: string, messageKey: string): Promise<string | undefined>;
  /**
   * In one step: the dead-letter record, the delivery marked dead-lettered and, for a valid
   * event, the order's fulfilment; so the order never says `dead-lettered` before `dlq list` can.
   */
  recordDeadLetter(record: DeadLetterRecord, now: Date): Promise<RecordOutcome>;

  /**
   * Ends a push that tried the parts new to the delivery: in one step each outcome recorded
   * (a failed part due again after its backoff), the parts' names added to the completed steps,
   * the delivery done and the order's fulfilment derived from its parts. Nothing happens when
   * another attempt has taken the delivery over.
   */
  settlePushedParts(delivery: DeliveryContext, now: Date, pushed: PushedParts): Promise<void>;
  /**
   * The reconciler's view (see reconciler.ts). `unrecorded`: the events, among `eventIds`, of
   * which no push ever reached this subscriber's ledger. `stalled`: deliveries neither done nor
   * dead-lettered, with no attempt running, untouched since `before`, oldest first.
   */
  unrecorded(subscriber: string, eventIds: readonly string[]): Promise<string[]>;
  stalled(subscriber: string, before: Date, now: Date, limit: number): Promise<DeliveryKey[]>;
  /**
   * In one step, if the delivery is still unrecorded or stalled (`awaitsRedrive`), hands it to
   * replay `replay` (`awaitingReplay`) and answers true: only the caller that gets true sends it.
   */
  redrive(delivery: DeliveryContext, now: Date, before: Date, replay: string): Promise<boolean>;

  /** Deliveries of `subscriber` with a part due at `now`, soonest first. */
  dueParts(subscriber: string, now: Date, limit: number): Promise<DeliveryKey[]>;
  /**
   * Takes the delivery's due parts under a lease, and dead-letters, in the same step, those whose
   * last attempt never settled (see `claimDue`); undefined when none is due.
   */
  claimParts(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    policy: PartPolicy,
  ): Promise<PartClaim | undefined>;
  /**
   * Settles a claim's outcomes; a part that ran out of attempts gets its dead letter and the
   * order's fulfilment `dead-lettered` in the same step. Returns the dead letters it recorded.
   */
  settleParts(
    claim: PartClaim,
    now: Date,
    outcomes: readonly PartOutcome[],
    policy: PartPolicy,
  ): Promise<DeadLetterRecord[]>;
}

export interface PushedParts {
  /** The attempt `begin` handed out: only it may settle. */
  attempt: number;
  message: PartClaim['message'];
  outcomes: readonly PartOutcome[];
  policy: PartPolicy;
}

export function fulfilmentAfter(
  now: Date,
  eventId: string,
  outcome: { attempt: number; failure?: Failure | undefined },
): FulfilmentRecord {
  const { failure } = outcome;
  if (outcome.attempt === 0)
    return { state: 'pending', eventId, attempts: 0, updatedAt: now.toISOString() };
  if (!failure)
    return { state: 'done', eventId, attempts: outcome.attempt, updatedAt: now.toISOString() };
  // Even after the last attempt: `dead-lettered` is written with the dead-letter record.
  return {
    state: 'retrying',
    eventId,
    attempts: failure.attempt,
    lastError: failure.error,
    updatedAt: now.toISOString(),
  };
}

/**
 * Whether a dead letter is news, from the message itself, against the delivery it concerns and
 * the record already kept under its key. Old news, which changes nothing: the delivery is done;
 * the same dead-letter message was recorded already (Pub/Sub pushes one again until it has its
 * answer); the message belongs to another replay than the one the delivery awaits (a copy of the
 * original dead-lettered again while a replay runs). And a dead letter never clears the lease of
 * an attempt still running: `busy`, Pub/Sub brings it back once the attempt has ended.
 */
export function deadLetterNews(
  record: DeadLetterRecord,
  delivery: Pick<DeliveryDoc, 'state' | 'leaseUntil' | 'replay'> | undefined,
  recorded: Pick<DeadLetterRecord, 'sourceMessageId'> | undefined,
  now: Date,
): RecordOutcome {
  if (delivery?.state === 'done') return 'stale';
  const source = record.sourceMessageId;
  if (source !== undefined && recorded?.sourceMessageId === source) return 'stale';
  if (delivery && delivery.replay !== record.message.attributes[replayAttribute]) return 'stale';
  if (delivery?.state === 'processing' && delivery.leaseUntil > now.getTime()) return 'busy';
  return 'recorded';
}

/** What hands a delivery to a replay: no lease, and the replay it now awaits. */
export const awaitingReplay = (now: Date, replay: string) =>
  ({ state: 'replaying', leaseUntil: 0, replay, updatedAt: now }) as const;

/** The states a delivery may be stuck in: whatever pushed it next never came. */
export const unfinishedStates = ['processing', 'failed', 'replaying'] as const;

/**
 * Whether the reconciler should send a delivery again: never recorded, or unfinished (see
 * `unfinishedStates`) with no attempt running and untouched since `before`.
 */
export function awaitsRedrive(
  delivery: { state: string; leaseUntil: number; updatedAt: number } | undefined,
  before: Date,
  now: Date,
): boolean {
  if (!delivery) return true;
  if (!(unfinishedStates as readonly string[]).includes(delivery.state)) return false;
  if (delivery.state === 'processing' && delivery.leaseUntil > now.getTime()) return false;
  return delivery.updatedAt <= before.getTime();
}
