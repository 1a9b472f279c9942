import * as z from 'zod';
import { gcpConfig, oidcCallerConfig, port } from '@orderflow/platform';

/** Behind Cloud Run, `cloud-run`: its front end has checked the push identity (IAM). */
const pushAuth = oidcCallerConfig('PUSH_AUTH', ['cloud-run', 'oidc'], 'the push paths (Pub/Sub)');
/** Who may call the reconciler: Cloud Scheduler's identity, checked by Cloud Run. */
const reconcileAuth = oidcCallerConfig(
  'RECONCILE_AUTH',
  ['cloud-run', 'oidc'],
  'the reconciler (Cloud Scheduler)',
);

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
  RECONCILE_OLDER_THAN_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60_000)
    .describe(
      'How old an unhandled delivery is when the reconciler sends it again: past Pub/Sub’s own retries.',
    ),
  RECONCILE_LOOKBACK_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60_000)
    .describe('How far behind that bound the reconciler looks for events that never arrived.'),
});

/** A subscriber's configuration: the shared part, then its own. */
export function subscriberConfig<T extends z.ZodRawShape>(own: T) {
  return z.intersection(z.intersection(delivery.extend(own), pushAuth), reconcileAuth);
}

export type SubscriberConfig = z.output<typeof delivery> &
  z.output<typeof pushAuth> &
  z.output<typeof reconcileAuth>;
