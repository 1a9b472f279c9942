import * as z from 'zod';
import { gcpConfig, oidcCallerConfig, port } from '@orderflow/platform';

/** Behind Cloud Run, `cloud-run`: its front end has checked the push identity (IAM). */
const pushAuth = oidcCallerConfig('PUSH_AUTH', ['cloud-run', 'oidc']);

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
