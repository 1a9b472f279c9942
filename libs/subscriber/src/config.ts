import { z } from 'zod';
import { gcpConfig, port } from '@orderflow/platform';

const pushAuth = z.discriminatedUnion('PUSH_AUTH', [
  /** Only for the local emulator, which sends no token. */
  z.object({ PUSH_AUTH: z.literal('off') }),
  z.object({
    PUSH_AUTH: z.literal('oidc'),
    PUSH_AUTH_AUDIENCE: z.string().min(1),
    PUSH_AUTH_SERVICE_ACCOUNT: z.email(),
  }),
]);

const delivery = gcpConfig.extend({
  PORT: port(8080),
  MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(5).max(100),
  DELIVERY_LEASE_MS: z.coerce.number().int().positive().default(60_000),
});

/** A subscriber's configuration: the shared part, then its own. */
export function subscriberConfig<T extends z.ZodRawShape>(own: T) {
  return z.intersection(delivery.extend(own), pushAuth);
}

export type SubscriberConfig = z.output<typeof delivery> & z.output<typeof pushAuth>;
