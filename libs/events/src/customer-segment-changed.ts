import * as z from 'zod';

export const customerSegmentChangedType = 'customer.segment-changed.v1';

/** In the order they are reached: a customer's label only ever moves right. */
export const segmentLabels = ['new', 'returning', 'loyal', 'vip'] as const;
export const segmentLabelSchema = z.enum(segmentLabels);

/**
 * A customer's segment label changed: segmentation counted an order that moved it. The first
 * order counted gives `new`, with no `previousSegment`. Every field an analyst queries is a
 * scalar, so the event maps onto a table row one to one.
 */
export const customerSegmentChangedV1Schema = z.object({
  customerId: z.string().min(1),
  /** For the customer's own mail (the VIP welcome); not written to the analytics tables. */
  email: z.email(),
  segment: segmentLabelSchema,
  previousSegment: segmentLabelSchema.nullable(),
  orderCount: z.number().int().positive(),
  /** The order whose counting made the change: like every event, it names the order it stems from. */
  orderId: z.string().min(1),
  /** When that order was placed. */
  changedAt: z.iso.datetime(),
});

export type SegmentLabel = z.infer<typeof segmentLabelSchema>;
export type CustomerSegmentChangedV1 = z.infer<typeof customerSegmentChangedV1Schema>;
