/**
 * Where an order's side effects stand, one record per subscriber.
 * Subscribers write it; the order service reads it for `GET /orders/{id}`.
 */
export type FulfilmentState = 'pending' | 'done' | 'retrying' | 'dead-lettered';

export interface FulfilmentRecord {
  state: FulfilmentState;
  eventId?: string;
  attempts: number;
  lastError?: string;
  updatedAt?: string;
}

/** Firestore path of the record: a subcollection of the order, one document per subscriber. */
export const fulfilmentCollection = (orderId: string) => `orders/${orderId}/fulfilment`;
