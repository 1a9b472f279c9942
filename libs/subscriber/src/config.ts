import * as z from 'zod';
import { gcpConfig, oidcCallerConfig, port } from '@orderflow/platform';

/** Behind Cloud Run, `cloud-run`: its front end has checked the push identity (IAM). */
const pushAuth = oidcCallerConfig('PUSH_AUTH', ['cloud-run', 'oidc'], 'the push paths (Pub/Sub)');

const delivery = gcpConfig.extend({
  PORT: port(8080).describe('The port to listen on (Cloud Run sets it).'),
  MAX_DELIVERY_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(5)
    .max(100)
    .describe("The subscription's delivery attempts before its dead letter (from the topology)."),
  DELIVERY_LEASE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe('How long an attempt holds a delivery before another may take it over.'),
});

/** A subscriber's configuration: the shared part, then its own. */
export function subscriberConfig<T extends z.ZodRawShape>(own: T) {
  return z.intersection(delivery.extend(own), pushAuth);
}

export type SubscriberConfig = z.output<typeof delivery> & z.output<typeof pushAuth>;
