import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { fulfilmentCollection } from '@orderflow/events';
import { deadLetterCollection, deadLetterId } from './dead-letter-record.js';
import type { DeliveryContext, DeliveryKey } from './delivery.js';
import type { PartClaim, PartRecord } from './parts.js';

/** Where the ledger, the dead-letter records and the operators' commands meet in Firestore. */
export const deliveryRef = (db: Firestore, key: DeliveryKey) =>
  db.collection('deliveries').doc(`${key.subscriber}_${key.eventId}`);

export const fulfilmentRef = (db: Firestore, orderId: string, subscriber: string) =>
  db.collection(fulfilmentCollection(orderId)).doc(subscriber);

export const deadLetterRef = (db: Firestore, subscriber: string, key: string) =>
  db.collection(deadLetterCollection).doc(deadLetterId(subscriber, key));

/**
 * A delivery's state in `deliveries/{subscriber}_{eventId}`. `replaying`: reset by a replay,
 * which the next push starts afresh; `dead-lettered`: recorded as a dead letter.
 */
export type DeliveryState = 'processing' | 'failed' | 'done' | 'dead-lettered' | 'replaying';

export interface DeliveryDoc extends DeliveryContext {
  state: DeliveryState;
  attempts: number;
  leaseUntil: number;
  completedSteps: string[];
  lastError?: string;
  /** A delivery in parts (see parts.ts): each part's record, by name. */
  parts?: Record<string, PartRecord>;
  /** The pushed message, which the sweep rebuilds the parts from. */
  message?: PartClaim['message'];
  /** When its next part is due (epoch ms), for the sweep's query; absent when none is retrying. */
  partsDueAt?: number;
  /** The replay the delivery awaits since a replay reset it (`replayAttribute`); absent before any. */
  replay?: string;
  updatedAt?: Timestamp;
}
