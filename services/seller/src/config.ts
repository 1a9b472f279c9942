import * as z from 'zod';
import { mailConfig, oidcCallerConfig } from '@orderflow/platform';
import { subscriberConfig } from '@orderflow/subscriber';
import { webhookKey } from './webhook-secrets.js';

const milliseconds = z.coerce.number().int().positive();

export const sellerConfig = z
  .intersection(
    subscriberConfig({
      WEBHOOK_MASTER_KEY: webhookKey
        .meta({ secret: true })
        .describe(
          "`whsec_` and base64 of 24 to 64 bytes: every seller's webhook secret derives from it " +
            '(Secret Manager on Google Cloud).',
        ),
      WEBHOOK_TARGETS: z
        .enum(['public', 'any'])
        .default('public')
        .describe(
          '`public`: https to public addresses only (SSRF); `any`: the local http stand-in.',
        ),
      WEBHOOK_TIMEOUT_MS: milliseconds
        .default(5_000)
        .describe("How long a seller's webhook may take to answer."),
      ...mailConfig,
      SELLER_ATTEMPTS: z.coerce
        .number()
        .int()
        .min(2)
        .max(50)
        .default(8)
        .describe(
          "Attempts to tell one seller of one order, the push's own first; the last dead-letters it.",
        ),
      SELLER_MIN_BACKOFF_MS: milliseconds
        .default(10_000)
        .describe("The wait after a seller's first failure, doubling after each (±20 % jitter)."),
      SELLER_MAX_BACKOFF_MS: milliseconds.default(120_000).describe('The longest of those waits.'),
    }),
    // Who may call the sweep: Cloud Scheduler's identity, checked by Cloud Run (a private service).
    oidcCallerConfig(
      'SWEEP_AUTH',
      ['cloud-run', 'oidc'],
      'POST /internal/parts/retry (Cloud Scheduler)',
    ),
  )
  .refine((c) => c.SELLER_MIN_BACKOFF_MS <= c.SELLER_MAX_BACKOFF_MS, {
    path: ['SELLER_MAX_BACKOFF_MS'],
    message: 'must be at least SELLER_MIN_BACKOFF_MS',
  });
