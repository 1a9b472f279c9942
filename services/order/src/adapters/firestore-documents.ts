import type { DocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import type { Product } from '../domain/order.js';
import { stockOf } from './firestore-stock.js';

/** An idempotency key's document as the domain reads it. */
export function toRecord(snapshot: DocumentSnapshot | undefined): IdempotencyRecord | undefined {
  const data = snapshot?.data() as
    (Omit<IdempotencyRecord, 'expiresAt'> & { expiresAt: Timestamp }) | undefined;
  return data && { ...data, expiresAt: data.expiresAt.toDate() };
}

/** The product as an order sees it: its stock is what its shards hold together. */
export function toProduct(
  snapshot: DocumentSnapshot,
  shards?: readonly DocumentSnapshot[],
): Product {
  const { stockShards: _layout, ...fields } = snapshot.data() as Omit<Product, 'id'> & {
    stockShards?: number;
  };
  return { id: snapshot.id, ...fields, stock: stockOf(snapshot, shards) };
}
