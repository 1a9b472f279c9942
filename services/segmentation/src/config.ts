import * as z from 'zod';
import { relayConfig } from '@orderflow/outbox';
import { subscriberConfig } from '@orderflow/subscriber';

export const segmentationConfig = z.intersection(
  subscriberConfig({
    PUBLISH_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(1500)
      .describe('How long a delivery waits for Pub/Sub before leaving its event to the relay.'),
  }),
  // A private service, like every subscriber: Cloud Run checks the scheduler's identity.
  relayConfig(['cloud-run', 'oidc']),
);
