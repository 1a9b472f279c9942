import * as z from 'zod';

export const orderPlacedType = 'order.placed.v1';

const minorUnits = z.number().int().nonnegative();

export const orderLineSchema = z.object({
  productId: z.string().min(1),
  sellerId: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: minorUnits,
  lineTotalCents: minorUnits,
});

/** Also what the order service requires of a token, so that every accepted order has a valid event. */
export const customerSchema = z.object({ id: z.string().min(1), email: z.email() });

export const orderPlacedV1Schema = z.object({
  orderId: z.string().min(1),
  customer: customerSchema,
  lines: z.array(orderLineSchema).min(1),
  totalCents: minorUnits,
  currency: z.string().length(3),
  placedAt: z.iso.datetime(),
});

export type OrderLine = z.infer<typeof orderLineSchema>;
export type OrderPlacedV1 = z.infer<typeof orderPlacedV1Schema>;
