import * as z from 'zod';
import { relayConfig } from '@orderflow/outbox';
import { gcpConfig, port, tokenAlgorithms } from '@orderflow/platform';

/** `https://shop.example,https://admin.shop.example`: exact origins, no paths, no wildcards. */
const origins = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .url()
        .refine(
          (o) => URL.canParse(o) && new URL(o).origin === o,
          'an origin: scheme://host[:port], nothing more',
        ),
    ),
  );

const service = gcpConfig.extend({
  PORT: port(8080).describe('The port to listen on (Cloud Run sets it).'),
  AUTH_ISSUER: z.string().min(1).describe("The `iss` of customers' ID tokens."),
  AUTH_AUDIENCE: z.string().min(1).describe("The `aud` of customers' ID tokens."),
  AUTH_JWKS_URL: z.url().describe("The keys that sign customers' ID tokens."),
  CORS_ORIGINS: origins
    .prefault('')
    .describe('Web origins whose pages may call the API, comma-separated; none unless listed.'),
  HSTS: z
    .enum(['on', 'off'])
    .default('on')
    .describe("Strict-Transport-Security; `off` only for the local system's plain HTTP."),
  AUTH_ALGORITHMS: z
    .string()
    .default('RS256')
    .transform((list) => list.split(',').map((alg) => alg.trim()))
    .pipe(z.array(z.enum(tokenAlgorithms)).min(1))
    .describe('The algorithms the issuer signs with, comma-separated.'),
  ORDER_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(10)
    .describe('Orders per second one customer may place (token bucket).'),
  ORDER_RATE_BURST: z.coerce.number().int().positive().default(20).describe("That bucket's size."),
  ADDRESS_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(20)
    .describe('Requests per second from one client address without a valid token.'),
  ADDRESS_RATE_BURST: z.coerce
    .number()
    .int()
    .positive()
    .default(40)
    .describe("That bucket's size."),
  TRUSTED_PROXY_HOPS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(1)
    .describe('Proxies in front that append to X-Forwarded-For: 1 on Cloud Run.'),
  PUBLISH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(1500)
    .describe('How long a request waits for Pub/Sub before leaving the event to the outbox relay.'),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe(
      "Every request's deadline, past which it answers `503` with `Retry-After`; below Cloud " +
        "Run's request timeout, at least STORE_TIMEOUT_MS + PUBLISH_TIMEOUT_MS.",
    ),
  STORE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5000)
    .describe("How long one request's Firestore work may take, all attempts of an order together."),
  ORDER_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Tries of an order whose stock other orders changed between read and commit.'),
  ORDER_COMMITS: z
    .enum(['shared', 'per-order'])
    .default('shared')
    .describe(
      '`shared`: the orders an instance holds at once for the same products are decided ' +
        'together and share one commit (group commit); `per-order`: each commits alone, for `npm run bench`.',
    ),
  EVENT_DELIVERY: z
    .enum(['pubsub', 'request-response-sequential', 'request-response-parallel'])
    .default('pubsub')
    .describe(
      '`pubsub`, the only deployable value; the others call each subscriber within the ' +
        'request, for `npm run bench`.',
    ),
  SUBSCRIBER_URLS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.url()))
    .optional()
    .describe("Request-response delivery only: each subscriber's push URL, as a JSON object."),
});

export const orderConfig = z
  // Who may call `POST /internal/outbox/relay`: Cloud Scheduler's identity; locally no one. Only
  // `oidc`: the order service is public, so Cloud Run checks no caller and every token must verify here.
  .intersection(service, relayConfig(['oidc']))
  .refine((c) => c.EVENT_DELIVERY === 'pubsub' || c.SUBSCRIBER_URLS, {
    message: 'request-response delivery needs SUBSCRIBER_URLS',
    path: ['SUBSCRIBER_URLS'],
  })
  .refine((c) => c.REQUEST_TIMEOUT_MS >= c.STORE_TIMEOUT_MS + c.PUBLISH_TIMEOUT_MS, {
    message: 'must leave room for STORE_TIMEOUT_MS and PUBLISH_TIMEOUT_MS',
    path: ['REQUEST_TIMEOUT_MS'],
  });
