import * as z from 'zod';
import { orderLineSchema } from '@orderflow/events';
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

export const orderSchema = z
  .object({
    id: z.string(),
    status: z.literal('placed'),
    customer: z.object({ id: z.string(), email: z.email() }),
    lines: z.array(orderLineSchema.meta({ id: 'OrderLine' })),
    totalCents: minorUnits,
    currency,
    createdAt: z.iso.datetime(),
    fulfilment: z
      .record(z.string(), fulfilmentSchema)
      .optional()
      .meta({ description: 'by subscriber; only on GET /orders/{id}' }),
  })
  .meta({ id: 'Order' });

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
