import * as z from 'zod';

/**
 * The telemetry settings, parsed once by the preload (`register.ts`) before the service's own
 * `main.ts` runs. Without `TELEMETRY_OTLP_URL` nothing is started: no spans, no metrics.
 */
export const telemetryConfig = z
  .object({
    OTEL_SERVICE_NAME: z.string().min(1),
    SERVICE_VERSION: z.string().min(1).default('dev'),
    /** The OTLP/HTTP base URL: `https://telemetry.googleapis.com` in Google Cloud, the local collector locally. */
    TELEMETRY_OTLP_URL: z.url().optional(),
    /** `google`: every export carries an access token of the service's own identity (ADC). */
    TELEMETRY_AUTH: z.enum(['google', 'none']).default('none'),
    GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
    /** The share of new traces kept; a trace begun elsewhere keeps the caller's decision. */
    TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
    TRACE_EXPORT_DELAY_MS: z.coerce.number().int().positive().default(5000),
    /** Metrics are exported this often when set; Cloud Monitoring takes a point per 5 s at most. */
    METRICS_EXPORT_INTERVAL_MS: z.coerce.number().int().min(5000).optional(),
    /** Set by the Pulumi program and by Cloud Run itself; they name the monitored resource. */
    CLOUD_REGION: z.string().min(1).optional(),
    K_SERVICE: z.string().min(1).optional(),
    K_REVISION: z.string().min(1).optional(),
  })
  .refine((c) => c.TELEMETRY_AUTH === 'none' || c.GOOGLE_CLOUD_PROJECT, {
    message: 'google telemetry auth needs GOOGLE_CLOUD_PROJECT (the quota project)',
    path: ['GOOGLE_CLOUD_PROJECT'],
  });

export type TelemetryConfig = z.output<typeof telemetryConfig>;
