import { z } from 'zod';
import { gcpConfig, port } from '@orderflow/platform';

export const orderConfig = gcpConfig.extend({
  PORT: port(8080),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1),
  AUTH_JWKS_URL: z.url(),
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  IDEMPOTENCY_STALE_AFTER_MS: z.coerce.number().int().positive().default(60_000),
});

export type OrderConfig = z.output<typeof orderConfig>;
