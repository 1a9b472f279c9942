import * as z from 'zod';
import { resourceId } from '@orderflow/platform';
import type { OrderPosition, ProductPosition } from '../domain/paging.js';

/**
 * What a cursor may hold, per list: a cursor is client input like any other. Its id goes into
 * Firestore's `startAfter` as a document path, so it keeps the rule of every id a client sends.
 */
export const productPosition: z.ZodType<ProductPosition> = z.strictObject({
  name: z.string(),
  id: resourceId,
});

export const orderPosition: z.ZodType<OrderPosition> = z.strictObject({
  createdAt: z.iso.datetime(),
  id: resourceId,
});
