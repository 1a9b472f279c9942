import * as z from 'zod';

/**
 * The telemetry settings, parsed once by the preload (`register.ts`) before the service's own
 * `main.ts` runs. Without `TELEMETRY_OTLP_URL` nothing is started: no spans, no metrics.
 */
export const telemetryConfig = z
  .object({
    OTEL_SERVICE_NAME: z.string().min(1).describe('`service.name` on every span and metric.'),
    SERVICE_VERSION: z
      .string()
      .min(1)
      .default('dev')
      .describe('`service.version`: the image tag on Google Cloud.'),
    TELEMETRY_OTLP_URL: z
      .url()
      .optional()
      .describe(
        'The OTLP/HTTP base URL: `https://telemetry.googleapis.com` on Google Cloud, the local ' +
          'collector locally; unset, no telemetry at all.',
      ),
    TELEMETRY_AUTH: z
      .enum(['google', 'none'])
      .default('none')
      .describe("`google`: every export carries an access token of the service's own identity."),
    GOOGLE_CLOUD_PROJECT: z
      .string()
      .min(1)
      .optional()
      .describe('The quota project of `google` telemetry auth.'),
    TRACE_SAMPLE_RATIO: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe(
        'The share of new traces kept; a trace begun elsewhere keeps its sampling decision.',
      ),
    TRACE_EXPORT_DELAY_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(5000)
      .describe('How long spans wait in a batch before export.'),
    METRICS_EXPORT_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(5000)
      .optional()
      .describe(
        'How often metrics are exported; unset, none (Cloud Monitoring takes one point per 5 s).',
      ),
    CLOUD_REGION: z
      .string()
      .min(1)
      .optional()
      .describe('The region, set by the Pulumi program; names the monitored resource.'),
    K_SERVICE: z.string().min(1).optional().describe('Set by Cloud Run: the service.'),
    K_REVISION: z.string().min(1).optional().describe('Set by Cloud Run: the revision.'),
  })
  .refine((c) => c.TELEMETRY_AUTH === 'none' || c.GOOGLE_CLOUD_PROJECT, {
    message: 'google telemetry auth needs GOOGLE_CLOUD_PROJECT (the quota project)',
    path: ['GOOGLE_CLOUD_PROJECT'],
  });

export type TelemetryConfig = z.output<typeof telemetryConfig>;
