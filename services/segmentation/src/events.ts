import { createHash } from 'node:crypto';
import {
  customerSegmentChangedType,
  type CloudEvent,
  type CustomerSegmentChangedV1,
} from '@orderflow/events';

export const eventSource = '/services/segmentation';

/**
 * The event of a label change. Its id follows from the customer and the label reached, which
 * happens once per customer (labels only move up): a redelivered or replayed order that
 * re-derives the change yields the same id, so every consumer drops the duplicate.
 */
export function segmentChanged(
  change: CustomerSegmentChangedV1,
): CloudEvent<typeof customerSegmentChangedType> {
  const id = createHash('sha256')
    .update(`${customerSegmentChangedType}\n${change.customerId}\n${change.segment}`)
    .digest('hex')
    .slice(0, 32);
  return {
    id,
    type: customerSegmentChangedType,
    source: eventSource,
    subject: `customers/${change.customerId}`,
    time: change.changedAt,
    data: change,
  };
}
