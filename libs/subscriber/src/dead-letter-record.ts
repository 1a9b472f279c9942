import { fromMessage, type FulfilmentRecord } from '@orderflow/events';
import { rejectionReasonAttribute } from './dead-letter-sink.js';
import { messageKey } from './delivery.js';

/**
 * One dead letter, as `dlq list` and the console show it and `dlq replay` replays it:
 * `deadLetters/{subscriber}_{key}` in Firestore. It is written when the message reaches the
 * dead-letter topic (or a subscriber gives up on one part of its work), in the same transaction
 * that marks the order's fulfilment `dead-lettered`.
 */
export interface DeadLetterRecord {
  subscriber: string;
  /** The event id, `sha256-…` of a message that is not an event, then `~<part>` for one part. */
  key: string;
  eventId?: string | undefined;
  orderId?: string | undefined;
  type?: string | undefined;
  /** The part of the delivery that failed, e.g. `seller:acme`; absent when the whole did. */
  part?: string | undefined;
  attempts?: number | undefined;
  reason: string;
  deadLetteredAt: string;
  /** The message as it was first published: what a replay publishes again. */
  message: { data: string; attributes: Record<string, string> };
  state: DeadLetterState;
  /** `replaying` only: until then the replay is reserved to the command that claimed it. */
  claimedUntil?: number | null | undefined;
  replayedAt?: string | undefined;
  /** Pub/Sub's id of the dead-letter message: the same message delivered again is not news. */
  sourceMessageId?: string | undefined;
}

export type DeadLetterState = 'dead-lettered' | 'replaying' | 'replayed';

export const deadLetterCollection = 'deadLetters';
export const deadLetterId = (subscriber: string, key: string) => `${subscriber}_${key}`;

/**
 * The attribute a replayed message carries: the replay it belongs to, also written on the
 * delivery it resets. A dead letter is news only for the replay the delivery awaits (see
 * `deadLetterNews`), whatever state its pushes left the delivery in.
 */
export const replayAttribute = 'orderflow-replay';

/** What Pub/Sub adds on dead-lettering; a replay leaves it out. */
const pubsubDeadLetterAttribute = /^CloudPubSubDeadLetterSource/;

/**
 * The record of a message that reached a dead-letter topic. The ledger completes it with the
 * delivery's own last error when it records it.
 */
export function deadLetterOf(
  subscriber: string,
  message: { data: string; attributes: Record<string, string>; messageId: string },
  now: Date,
): DeadLetterRecord {
  const { data, attributes } = message;
  const original = Object.fromEntries(
    Object.entries(attributes).filter(
      ([k]) => !pubsubDeadLetterAttribute.test(k) && k !== rejectionReasonAttribute,
    ),
  );
  const counted = Number(attributes.CloudPubSubDeadLetterSourceDeliveryCount);
  return {
    subscriber,
    key: messageKey(data, attributes),
    eventId: attributes['ce-id'],
    orderId: validOrderId(data, attributes),
    type: attributes['ce-type'],
    attempts: Number.isInteger(counted) ? counted : undefined,
    reason: attributes[rejectionReasonAttribute] ?? 'every delivery attempt failed',
    deadLetteredAt: now.toISOString(),
    message: { data, attributes: original },
    state: 'dead-lettered',
    sourceMessageId: message.messageId,
  };
}

/** The order whose fulfilment the dead letter concerns: only a valid event names one. */
function validOrderId(data: string, attributes: Record<string, string>): string | undefined {
  try {
    return fromMessage({ data, attributes }).data.orderId;
  } catch {
    return undefined;
  }
}

export function deadLetteredFulfilment(record: DeadLetterRecord): FulfilmentRecord {
  return {
    state: 'dead-lettered',
    eventId: record.eventId,
    attempts: record.attempts ?? 0,
    lastError: record.reason,
    updatedAt: record.deadLetteredAt,
  };
}
