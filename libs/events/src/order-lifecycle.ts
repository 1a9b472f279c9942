import * as z from 'zod';
import { customerSchema, orderLineSchema } from './order-placed.js';

/**
 * The events of an order after `order.placed.v1`, one per transition. Each carries the order's
 * `sequence`: `order.placed.v1` is 1 and every later event of the same order one more, so a
 * consumer can tell a stale event from a newer one whatever order Pub/Sub delivers them in
 * (see docs/order-lifecycle.md).
 */
export const orderCancelledType = 'order.cancelled.v1';
export const orderPartAcceptedType = 'order.part-accepted.v1';
export const orderPartShippedType = 'order.part-shipped.v1';
export const orderPartRejectedType = 'order.part-rejected.v1';

/** The sequence of `order.placed.v1`, which carries none of its own. */
export const placedSequence = 1;

const minorUnits = z.number().int().nonnegative();
const sequence = z
  .number()
  .int()
  .min(placedSequence + 1);
export const orderStatusSchema = z.enum(['placed', 'cancelled', 'shipped']);

/** The customer cancelled: every part not shipped nor rejected is cancelled and refunded. */
export const orderCancelledV1Schema = z.object({
  orderId: z.string().min(1),
  sequence,
  customer: customerSchema,
  reason: z.string().nullable(),
  /** The sellers whose parts this cancelled: each is told. */
  sellerIds: z.array(z.string().min(1)).min(1),
  /** The lines cancelled now, and what they are refunded. */
  lines: z.array(orderLineSchema).min(1),
  refundCents: minorUnits,
  currency: z.string().length(3),
  cancelledAt: z.iso.datetime(),
});

export const orderPartAcceptedV1Schema = z.object({
  orderId: z.string().min(1),
  sequence,
  sellerId: z.string().min(1),
  acceptedAt: z.iso.datetime(),
});

export const orderPartShippedV1Schema = z.object({
  orderId: z.string().min(1),
  sequence,
  customer: customerSchema,
  sellerId: z.string().min(1),
  lines: z.array(orderLineSchema).min(1),
  trackingNumber: z.string().min(1),
  /** The order's status after the part shipped: `shipped` once every remaining part has. */
  orderStatus: orderStatusSchema,
  shippedAt: z.iso.datetime(),
});

/** A seller could not fulfil its part: its lines are cancelled, their stock restored, refunded. */
export const orderPartRejectedV1Schema = z.object({
  orderId: z.string().min(1),
  sequence,
  customer: customerSchema,
  sellerId: z.string().min(1),
  reason: z.string().min(1),
  lines: z.array(orderLineSchema).min(1),
  refundCents: minorUnits,
  currency: z.string().length(3),
  orderStatus: orderStatusSchema,
  rejectedAt: z.iso.datetime(),
});

export type OrderStatus = z.infer<typeof orderStatusSchema>;
export type OrderCancelledV1 = z.infer<typeof orderCancelledV1Schema>;
export type OrderPartAcceptedV1 = z.infer<typeof orderPartAcceptedV1Schema>;
export type OrderPartShippedV1 = z.infer<typeof orderPartShippedV1Schema>;
export type OrderPartRejectedV1 = z.infer<typeof orderPartRejectedV1Schema>;
