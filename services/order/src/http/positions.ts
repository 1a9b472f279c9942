import * as z from 'zod';
import type { OrderPosition, ProductPosition } from '../domain/paging.js';

/** What a cursor may hold, per list: a cursor is client input like any other. */
export const productPosition: z.ZodType<ProductPosition> = z.strictObject({
  name: z.string(),
  id: z.string().min(1),
});

export const orderPosition: z.ZodType<OrderPosition> = z.strictObject({
  createdAt: z.iso.datetime(),
  id: z.string().min(1),
});
