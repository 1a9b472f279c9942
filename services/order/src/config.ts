import { z } from 'zod';
import { gcpConfig, oidcCallerConfig, port } from '@orderflow/platform';
import { defaultRelaySettings } from './relay.js';

/**
 * Who may call `POST /internal/outbox/relay`: Cloud Scheduler's identity; locally no one. Only
 * `oidc`: the order service is public, so Cloud Run checks no caller and every token must verify here.
 */
const relayAuth = oidcCallerConfig('RELAY_AUTH');

const service = gcpConfig.extend({
  PORT: port(8080),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1),
  AUTH_JWKS_URL: z.url(),
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  /** Runs the outbox relay in-process this often; in production Cloud Scheduler calls it instead. */
  RELAY_INTERVAL_MS: z.coerce.number().int().positive().optional(),
  RELAY_GRACE_MS: z.coerce.number().int().nonnegative().default(defaultRelaySettings.graceMs),
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
  .intersection(service, relayAuth)
  .refine((c) => c.EVENT_DELIVERY === 'pubsub' || c.SUBSCRIBER_URLS, {
    message: 'request-response delivery needs SUBSCRIBER_URLS',
    path: ['SUBSCRIBER_URLS'],
  });
