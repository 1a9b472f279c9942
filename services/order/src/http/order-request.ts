import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@orderflow/platform';
import type { OrderItem } from '../domain/order.js';

export const maxLines = 100;

const itemSchema = z.strictObject({
  productId: z.string().min(1).max(128),
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

export interface InvalidParam {
  name: string;
  reason: string;
}

export function parsePlaceOrderBody(body: unknown): OrderItem[] {
  const result = placeOrderBody.safeParse(body);
  if (result.success) return result.data.items;
  const invalidParams: InvalidParam[] = result.error.issues.map((issue) => ({
    name: issue.path.length ? issue.path.join('.') : '(body)',
    reason: issue.message,
  }));
  throw new AppError('invalid-request', 'the order has invalid fields', { invalidParams });
}

const idempotencyKey = z.string().min(1).max(255);

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
