import * as z from 'zod';
import { relayConfig } from '@orderflow/outbox';
import { gcpConfig, port } from '@orderflow/platform';
import { tokenAlgorithms } from './adapters/jwks-authenticator.js';

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
  PORT: port(8080),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1),
  AUTH_JWKS_URL: z.url(),
  /** Web pages allowed to call the API from the browser; none unless listed. */
  CORS_ORIGINS: origins.default([]),
  /** Strict-Transport-Security; `off` only for the local system's plain HTTP. */
  HSTS: z.enum(['on', 'off']).default('on'),
  /** The algorithms the issuer signs with, comma-separated: RS256 for most identity providers. */
  AUTH_ALGORITHMS: z
    .string()
    .default('RS256')
    .transform((list) => list.split(',').map((alg) => alg.trim()))
    .pipe(z.array(z.enum(tokenAlgorithms)).min(1)),
  /** Per customer on POST /orders; per client address for requests without a valid token. */
  ORDER_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  ORDER_RATE_BURST: z.coerce.number().int().positive().default(20),
  ADDRESS_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  ADDRESS_RATE_BURST: z.coerce.number().int().positive().default(40),
  /** Proxies in front of the service that append to X-Forwarded-For: 1 on Cloud Run. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().nonnegative().default(1),
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  /**
   * Every request's deadline, below Cloud Run's request timeout: past it the client gets
   * `503 busy` with `Retry-After`. An order's store work ends `PUBLISH_TIMEOUT_MS` earlier.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How long one request's Firestore work may take, all attempts of an order together. */
  STORE_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** How often an order is tried when other orders changed its stock between read and commit. */
  ORDER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(20),
  /**
   * `shared`: the orders an instance holds at once for the same products are decided together
   * and share one commit (group commit); `per-order`: each commits alone, for `npm run bench`.
   */
  ORDER_COMMITS: z.enum(['shared', 'per-order']).default('shared'),
  /**
   * `pubsub`, the only deployable value; the request-response ones call each subscriber's push
   * endpoint (`SUBSCRIBER_URLS`, a JSON object by subscriber) within the request: `npm run bench`.
   */
  EVENT_DELIVERY: z
    .enum(['pubsub', 'request-response-sequential', 'request-response-parallel'])
    .default('pubsub'),
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
    .optional(),
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
