import * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { problems, type ProblemCode } from '@orderflow/platform';
import { idempotencyKey, placeOrderBody } from './order-request.js';
import { pageQuery } from './paging.js';
import { sellerClaim } from '@orderflow/platform';
import {
  orderPageSchema,
  orderSchema,
  problemSchema,
  productPageSchema,
  relayReportSchema,
  sellerOrderPageSchema,
  sellerOrderSchema,
} from './resources.js';
import { acceptBody, cancelBody, rejectBody, shipBody } from './transition-request.js';

/**
 * The API's OpenAPI 3.1 description, generated from the zod schemas the handlers validate with
 * and answer in: nothing here is written beside the code. Problem types come from the
 * platform's error table; each operation lists the codes it can answer.
 */
export function openApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Orderflow order API',
      version: '1.0.0',
      description:
        'Errors are RFC 9457 problem documents whose `type` is `urn:orderflow:problem:<code>`.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        sellerBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `a token whose \`${sellerClaim}\` claim names the seller its holder acts for`,
        },
      },
    },
    paths: {
      '/orders': {
        post: placeOrderOperation,
        get: {
          summary: "The caller's orders, newest first",
          security: customer,
          requestParams: { query: pageQuery },
          responses: {
            200: json('A page of orders', orderPageSchema, { Link: nextLink }),
            ...problemsOf('invalid-request', 'unauthenticated', 'rate-limited', 'busy'),
          },
        },
      },
      '/orders/{id}': {
        get: {
          summary: "One of the caller's orders, with its fulfilment by subscriber",
          security: customer,
          requestParams: { path: z.object({ id: z.string() }) },
          responses: {
            200: json('The order', orderSchema),
            ...problemsOf(
              'invalid-request',
              'unauthenticated',
              'not-found',
              'rate-limited',
              'busy',
            ),
          },
        },
      },
      '/orders/{id}/cancel': {
        post: {
          summary:
            "Cancels the caller's order while no seller has shipped: every part not rejected is cancelled, its stock restored and refunded; sent again, the same answer",
          security: customer,
          requestParams: { path: z.object({ id: z.string() }) },
          requestBody: { content: { 'application/json': { schema: cancelBody } } },
          responses: {
            200: json('The order, cancelled', orderSchema),
            ...problemsOf(
              'invalid-request',
              'unauthenticated',
              'not-found',
              'not-cancellable',
              'unsupported-media-type',
              'rate-limited',
              'busy',
            ),
          },
        },
      },
      '/seller/orders': {
        get: {
          summary: "The seller's parts of orders, newest first",
          security: seller,
          requestParams: { query: pageQuery },
          responses: {
            200: json('A page of parts', sellerOrderPageSchema, { Link: nextLink }),
            ...problemsOf('invalid-request', 'unauthenticated', 'rate-limited', 'busy'),
          },
        },
      },
      '/seller/orders/{orderId}/accept': {
        post: sellerAction('Accepts the part: the seller will ship it', acceptBody, false),
      },
      '/seller/orders/{orderId}/ship': {
        post: sellerAction('Ships the part, with its tracking number', shipBody, true),
      },
      '/seller/orders/{orderId}/reject': {
        post: sellerAction(
          'Rejects the part: its lines are cancelled, their stock restored and refunded',
          rejectBody,
          true,
        ),
      },
      '/products': {
        get: {
          summary: 'The catalog with the stock available now, by name',
          requestParams: {
            query: pageQuery,
            header: z.object({ 'If-None-Match': z.string().optional() }),
          },
          responses: {
            200: json('A page of products', productPageSchema, {
              Link: nextLink,
              ETag: z.string(),
              'Cache-Control': z.literal('no-cache'),
            }),
            304: { description: 'The page is unchanged since the ETag sent in If-None-Match' },
            ...problemsOf('invalid-request', 'rate-limited', 'busy'),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          responses: { 200: json('Alive', z.object({ status: z.literal('ok') })) },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          responses: {
            200: {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: z.looseObject({}) } },
            },
          },
        },
      },
      '/internal/outbox/relay': {
        post: {
          summary: 'Publishes what the outbox holds unpublished (Cloud Scheduler only, OIDC)',
          security: [{ bearer: [] }],
          responses: {
            200: json('Every entry taken was published', relayReportSchema),
            503: json('Some failed; the next run tries again', relayReportSchema),
            ...problemsOf('unauthenticated'),
          },
        },
      },
    },
  });
}

const customer = [{ bearer: [] }];
/** A token of the same identity provider, with the seller's id in its `seller_id` claim. */
const seller = [{ sellerBearer: [] }];

/** A seller's action on its part; sent again, the same answer. Another seller's order is 404. */
function sellerAction(
  summary: string,
  body: z.ZodType,
  required: boolean,
): ZodOpenApiOperationObject {
  return {
    summary: `${summary}; sent again, the same answer`,
    security: seller,
    requestParams: { path: z.object({ orderId: z.string() }) },
    requestBody: { required, content: { 'application/json': { schema: body } } },
    responses: {
      200: json("The seller's part, as it now is", sellerOrderSchema),
      ...problemsOf(
        'invalid-request',
        'unauthenticated',
        'not-found',
        'transition-not-allowed',
        'unsupported-media-type',
        'rate-limited',
        'busy',
      ),
    },
  };
}

const nextLink = z
  .string()
  .meta({ description: '`<…?limit=…&cursor=…>; rel="next"` when more follow' });

const placeOrderOperation: ZodOpenApiOperationObject = {
  summary: 'Places an order; prices and stock come from the catalog',
  security: customer,
  requestParams: {
    header: z.object({
      'Idempotency-Key': idempotencyKey.optional().meta({
        description: 'per customer: the same key and body return the same order for 24 hours',
      }),
    }),
  },
  requestBody: { required: true, content: { 'application/json': { schema: placeOrderBody } } },
  responses: {
    201: json('Placed (or, for a key already used, placed before)', orderSchema, {
      Location: z.string().meta({ description: '/orders/{id}' }),
      'Idempotent-Replayed': z
        .literal('true')
        .optional()
        .meta({ description: 'present when the key was used before' }),
    }),
    ...problemsOf(
      'invalid-request',
      'unauthenticated',
      'insufficient-stock',
      'payload-too-large',
      'unsupported-media-type',
      'unknown-product',
      'mixed-currencies',
      'idempotency-key-reused',
      'amount-too-large',
      'invalid-order',
      'request-aborted',
      'rate-limited',
      'busy',
    ),
  },
};

function json(
  description: string,
  schema: z.ZodType,
  headers: Record<string, z.ZodType> = {},
): ZodOpenApiResponseObject {
  return {
    description,
    ...(Object.keys(headers).length ? { headers: z.object(headers) } : {}),
    content: { 'application/json': { schema } },
  };
}

/** The problem responses of an operation by status, each naming its codes; every one may fail 500. */
function problemsOf(...codes: ProblemCode[]): ZodOpenApiResponsesObject {
  const byStatus = Map.groupBy([...codes, 'internal' as const], (code) => problems[code].status);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: group.map((code) => `\`${code}\`: ${problems[code].title}`).join('; '),
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );
}
