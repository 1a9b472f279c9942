import { AppError } from '@orderflow/platform/errors';

/** How long a key keeps answering with its order; after that it may place a new one. */
export const idempotencyKeyRetentionMs = 24 * 60 * 60 * 1000;

/** A client's Idempotency-Key, scoped to the customer, with the body it was first sent with. */
export interface IdempotencyKey {
  customerId: string;
  key: string;
  /** Fingerprint of the request body: the same key with another body is refused. */
  requestHash: string;
}

/** What the store keeps of a key, written in the same transaction as the order it placed. */
export interface IdempotencyRecord {
  requestHash: string;
  orderId: string;
  expiresAt: Date;
}

export function idempotencyRecord(key: IdempotencyKey, orderId: string, now: Date) {
  return {
    requestHash: key.requestHash,
    orderId,
    expiresAt: new Date(now.getTime() + idempotencyKeyRetentionMs),
  } satisfies IdempotencyRecord;
}

/**
 * The order an earlier request with this key placed, or `undefined` when the key is new or
 * expired. The same key with another body is refused: it would answer with the wrong order.
 */
export function earlierOrder(
  record: IdempotencyRecord | undefined,
  key: IdempotencyKey,
  now: Date,
): string | undefined {
  if (!record || record.expiresAt <= now) return undefined;
  if (record.requestHash !== key.requestHash) {
    throw new AppError('idempotency-key-reused', 'use a new key for a different order');
  }
  return record.orderId;
}
