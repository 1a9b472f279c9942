import { z } from 'zod';
import { gcpConfig, port } from '@orderflow/platform';
import { defaultRelaySettings } from './relay.js';

const relayAuth = z.discriminatedUnion('RELAY_AUTH', [
  /** Only for the local system, whose relay runs on an interval instead. */
  z.object({ RELAY_AUTH: z.literal('off') }),
  z.object({
    RELAY_AUTH: z.literal('oidc'),
    RELAY_AUTH_AUDIENCE: z.string().min(1),
    RELAY_AUTH_SERVICE_ACCOUNT: z.email(),
  }),
]);

const service = gcpConfig.extend({
  PORT: port(8080),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1),
  AUTH_JWKS_URL: z.url(),
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  IDEMPOTENCY_STALE_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  /** Runs the outbox relay in-process this often; in production Cloud Scheduler calls it instead. */
  RELAY_INTERVAL_MS: z.coerce.number().int().positive().optional(),
  RELAY_GRACE_MS: z.coerce.number().int().nonnegative().default(defaultRelaySettings.graceMs),
});

export const orderConfig = z.intersection(service, relayAuth);
