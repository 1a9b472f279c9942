import type { CloudEvent } from '@orderflow/events';
import type { Batch } from '../domain/batch.js';
import type { Order } from '../domain/order.js';

/** An order a commit creates, with its event, and whether it records an Idempotency-Key. */
export interface CommittedOrder {
  order: Order;
  event: CloudEvent;
  keyed: boolean;
}

/** Firestore's limits for one commit: 500 writes, and 10 MiB, of which we use 9 for margin. */
export const commitLimits = { writes: 500, bytes: 9 * 1024 * 1024 };

/** A stock document's write, its path and precondition included, at most. */
const stockWriteBytes = 1024;

/**
 * Whether a commit of `orders` over the stock `read` left as `batch` stays within Firestore's
 * limits: a write per stock document whose level changed, and per placed order its order, its
 * outbox entry and its key. Sizes are estimated from the JSON of the order and its event.
 */
export function fitsOneCommit(
  read: Batch,
  batch: Batch,
  orders: readonly CommittedOrder[],
  limits = commitLimits,
): boolean {
  let writes = 0;
  let bytes = 0;
  for (const [productId, { levels }] of batch.stock) {
    const before = read.stock.get(productId)?.levels ?? [];
    const changed = levels.filter((level, i) => level !== before[i]).length;
    writes += changed;
    bytes += changed * stockWriteBytes;
  }
  for (const { order, event, keyed } of orders) {
    writes += keyed ? 3 : 2;
    bytes += Buffer.byteLength(JSON.stringify(order)) + Buffer.byteLength(JSON.stringify(event));
  }
  return writes <= limits.writes && bytes <= limits.bytes;
}
