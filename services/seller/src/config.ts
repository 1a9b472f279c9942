import { z } from 'zod';
import { subscriberConfig } from '@orderflow/subscriber';
import { webhookKey } from './webhook-secrets.js';

export const sellerConfig = subscriberConfig({
  /** Every seller's webhook secret derives from it (Secret Manager in production). */
  WEBHOOK_MASTER_KEY: webhookKey,
  /** `public`: https to public addresses only (SSRF); `any`: the local system's http stand-in. */
  WEBHOOK_TARGETS: z.enum(['public', 'any']).default('public'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  SMTP_URL: z.url(),
  MAIL_FROM: z.string().min(1).default('Orderflow <orders@orderflow.example>'),
});
