import * as z from 'zod';
import { oidcCallerConfig } from '@orderflow/platform';
import { subscriberConfig } from '@orderflow/subscriber';
import { webhookKey } from './webhook-secrets.js';

const milliseconds = z.coerce.number().int().positive();

export const sellerConfig = z
  .intersection(
    subscriberConfig({
      /** Every seller's webhook secret derives from it (Secret Manager in production). */
      WEBHOOK_MASTER_KEY: webhookKey,
      /** `public`: https to public addresses only (SSRF); `any`: the local system's http stand-in. */
      WEBHOOK_TARGETS: z.enum(['public', 'any']).default('public'),
      WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
      SMTP_URL: z.url(),
      MAIL_FROM: z.string().min(1).default('Orderflow <orders@orderflow.example>'),
      /** Attempts to tell one seller of one order, the push's own first; the last dead-letters it. */
      SELLER_ATTEMPTS: z.coerce.number().int().min(2).max(50).default(8),
      /** The wait after the first failure, doubling after each, up to the maximum (±20 % jitter). */
      SELLER_MIN_BACKOFF_MS: milliseconds.default(10_000),
      SELLER_MAX_BACKOFF_MS: milliseconds.default(120_000),
    }),
    // Who may call the sweep: Cloud Scheduler's identity, checked by Cloud Run (a private service).
    oidcCallerConfig('SWEEP_AUTH', ['cloud-run', 'oidc']),
  )
  .refine((c) => c.SELLER_MIN_BACKOFF_MS <= c.SELLER_MAX_BACKOFF_MS, {
    path: ['SELLER_MAX_BACKOFF_MS'],
    message: 'must be at least SELLER_MIN_BACKOFF_MS',
  });
