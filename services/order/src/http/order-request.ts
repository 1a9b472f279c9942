import { createHash } from 'node:crypto';
import * as z from 'zod';
import { AppError, resourceId } from '@orderflow/platform';
import type { OrderItem } from '../domain/order.js';
import { parseInput } from './validation.js';

export type { InvalidParam } from './validation.js';

export const maxLines = 100;

const itemSchema = z.strictObject({
  productId: resourceId,
  quantity: z.number().int().min(1).max(1000),
});

export const placeOrderBody = z.strictObject({
  items: z
    .array(itemSchema)
    .min(1)
    .max(maxLines)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
      message: 'list each product once',
    }),
});

/** An order id from the path: one that breaks the id rule cannot exist, so it is not found. */
export function parseOrderId(id: string): string {
  const result = resourceId.safeParse(id);
  if (result.success) return result.data;
  throw new AppError('not-found', 'no such order', {
    invalidParams: [{ name: 'id', reason: result.error.issues[0]?.message ?? 'invalid' }],
  });
}

export function parsePlaceOrderBody(body: unknown): OrderItem[] {
  return parseInput(placeOrderBody, body, 'the order has invalid fields').items;
}

export const idempotencyKey = z.string().min(1).max(255);

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const result = idempotencyKey.safeParse(header);
  if (result.success) return result.data;
  throw new AppError('invalid-request', 'Idempotency-Key must be 1 to 255 characters', {
    invalidParams: [{ name: 'Idempotency-Key', reason: 'length' }],
  });
}

/** Same items in any order give the same fingerprint. */
export function fingerprint(items: readonly OrderItem[]): string {
  const canonical = [...items]
    .sort((a, b) => a.productId.localeCompare(b.productId))
    .map((i) => [i.productId, i.quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
