import * as z from 'zod';
import { orderLineSchema, orderStatusSchema } from '@orderflow/events';
import { problems, type ProblemCode } from '@orderflow/platform';

/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from them, and the
 * handlers' return types are checked against them.
 */
const minorUnits = z.number().int().nonnegative().meta({ description: 'integer minor units' });
const currency = z
  .string()
  .length(3)
  .meta({ description: 'ISO 4217', examples: ['EUR'] });

export const productSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    name: z.string(),
    priceCents: minorUnits,
    currency,
    stock: z.number().int().nonnegative().meta({ description: 'available now' }),
  })
  .meta({ id: 'Product' });

const fulfilmentSchema = z
  .object({
    state: z.enum(['pending', 'done', 'retrying', 'dead-lettered']),
    attempts: z.number().int().nonnegative(),
    updatedAt: z.iso.datetime().optional(),
    issue: z
      .string()
      .optional()
      .meta({
        description: 'while retrying or dead-lettered: what a customer may know, not the raw error',
        examples: ['seller endpoint unavailable'],
      }),
  })
  .meta({ id: 'Fulfilment' });

const partStateSchema = z
  .enum(['pending', 'accepted', 'shipped', 'rejected', 'cancelled'])
  .meta({ id: 'PartState' });

const partSchema = z
  .object({
    sellerId: z.string(),
    state: partStateSchema,
    trackingNumber: z.string().optional().meta({ description: 'once shipped' }),
    reason: z.string().optional().meta({ description: 'once rejected' }),
  })
  .meta({ id: 'OrderPart', description: "one seller's part of the order" });

const historyEntrySchema = z
  .object({
    sequence: z
      .number()
      .int()
      .positive()
      .meta({ description: "the sequence of the step's event: 1 is order.placed" }),
    at: z.iso.datetime(),
    action: z.enum(['placed', 'cancelled', 'accepted', 'shipped', 'rejected']),
    by: z.object({ kind: z.enum(['customer', 'seller']), id: z.string() }),
    sellerId: z.string().optional().meta({ description: "the part a seller's step concerned" }),
    reason: z.string().optional(),
    trackingNumber: z.string().optional(),
  })
  .meta({ id: 'HistoryEntry' });

const orderStatus = orderStatusSchema.meta({
  id: 'OrderStatus',
  description:
    '`cancelled` once every part is rejected or cancelled, `shipped` once every remaining part has shipped',
});

export const orderSchema = z
  .object({
    id: z.string(),
    status: orderStatus,
    customer: z.object({ id: z.string(), email: z.email() }),
    lines: z.array(orderLineSchema.meta({ id: 'OrderLine' })),
    totalCents: minorUnits,
    currency,
    createdAt: z.iso.datetime(),
    parts: z.array(partSchema),
    history: z.array(historyEntrySchema).meta({ description: 'oldest first' }),
    fulfilment: z
      .record(z.string(), fulfilmentSchema)
      .optional()
      .meta({ description: 'by subscriber; only on GET /orders/{id}' }),
  })
  .meta({ id: 'Order' });

/** A seller's part of an order: its own lines only. */
export const sellerOrderSchema = z
  .object({
    orderId: z.string(),
    createdAt: z.iso.datetime(),
    orderStatus,
    state: partStateSchema,
    trackingNumber: z.string().optional(),
    reason: z.string().optional(),
    lines: z.array(orderLineSchema),
    subtotalCents: minorUnits,
    currency,
  })
  .meta({ id: 'SellerOrder' });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'pass as `cursor` for the next page; null on the last page' });

export const productPageSchema = z
  .object({ products: z.array(productSchema), nextCursor })
  .meta({ id: 'ProductPage' });

export const orderPageSchema = z
  .object({ orders: z.array(orderSchema), nextCursor })
  .meta({ id: 'OrderPage' });

export const sellerOrderPageSchema = z
  .object({ orders: z.array(sellerOrderSchema), nextCursor })
  .meta({ id: 'SellerOrderPage' });

const codes = Object.keys(problems) as [ProblemCode, ...ProblemCode[]];

/** RFC 9457, with every code of the platform's error table. */
export const problemSchema = z
  .looseObject({
    type: z.enum(codes.map((code) => `urn:orderflow:problem:${code}`) as [string, ...string[]]),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.enum(codes),
    invalidParams: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .optional()
      .meta({ description: 'with invalid-request: every failing field' }),
  })
  .meta({ id: 'Problem' });

/** `RelayReport` of libs/outbox: what one pass did with the entries it took. */
export const relayReportSchema = z
  .object({
    published: z.number().int(),
    failed: z.number().int().meta({ description: 'tried again in the next pass' }),
    setAside: z.number().int().meta({ description: 'see `npm run outbox -- status`' }),
    deferred: z.number().int().meta({ description: 'left to the next pass for lack of time' }),
  })
  .meta({ id: 'RelayReport' });

export type OrderResource = z.input<typeof orderSchema>;
export type SellerOrderResource = z.input<typeof sellerOrderSchema>;
