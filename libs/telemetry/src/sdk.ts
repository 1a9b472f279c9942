import process from 'node:process';
import { metrics } from '@opentelemetry/api';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { express } from '@orderflow/platform/express';
import type { TelemetryConfig } from './config.js';
import { googleAuthHeaders } from './google-auth.js';
import { instrument, withoutRequireHooks } from './instrument.js';
import { OrderflowMetricExporter, otlpSpanExporter } from './exporters.js';
import { serviceResource } from './resource.js';
import { traceSampler } from './sampler.js';

export interface Telemetry {
  /** Exports what is still buffered; the server calls it before the process exits. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** Requests that get no HTTP server span: health checks, and Pub/Sub pushes, whose span the push handler starts from the message. */
  untracedPaths: ReadonlySet<string>;
}

/**
 * Starts the OpenTelemetry SDK: traces and, when configured, metrics, both over OTLP/HTTP, to
 * Google's Telemetry API in production and to the local collector on one machine. Only the two
 * instrumentations the services need (no auto-instrumentations meta package): start-up stays cheap.
 */
export function startTelemetry(
  config: TelemetryConfig,
  options: TelemetryOptions,
): Telemetry | undefined {
  const base = config.TELEMETRY_OTLP_URL?.replace(/\/$/, '');
  if (!base) return undefined;
  // Firestore's client traces each of its calls by default, every span carrying its settings as
  // a dozen attributes: 0.9 ms of CPU an order at 10 % sampling, more than the rest of tracing.
  // Our own `order transaction` span times the transaction. An operator may still set it `on`.
  process.env['FIRESTORE_ENABLE_TRACING'] ??= 'off';
  const resource = serviceResource(config);
  const headers =
    config.TELEMETRY_AUTH === 'google' && config.GOOGLE_CLOUD_PROJECT
      ? googleAuthHeaders(config.GOOGLE_CLOUD_PROJECT)
      : undefined;
  const tracerProvider = new NodeTracerProvider({
    resource,
    sampler: traceSampler(config.TRACE_SAMPLE_RATIO),
    spanProcessors: [
      new BatchSpanProcessor(otlpSpanExporter({ url: `${base}/v1/traces`, headers }), {
        scheduledDelayMillis: config.TRACE_EXPORT_DELAY_MS,
      }),
    ],
  });
  tracerProvider.register();

  const meterProvider =
    config.METRICS_EXPORT_INTERVAL_MS === undefined
      ? undefined
      : new MeterProvider({
          resource,
          readers: [
            new PeriodicExportingMetricReader({
              exporter: new OrderflowMetricExporter({ url: `${base}/v1/metrics`, headers }),
              exportIntervalMillis: config.METRICS_EXPORT_INTERVAL_MS,
            }),
          ],
        });
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);

  const [httpInstrumentation, expressInstrumentation] = withoutRequireHooks(
    () =>
      [
        new HttpInstrumentation({
          enabled: false,
          // Outgoing calls outside any request (token refreshes, the exporters) are not traced.
          requireParentforOutgoingSpans: true,
          ignoreIncomingRequestHook: (request) =>
            options.untracedPaths.has((request.url ?? '').split('?')[0] ?? ''),
        }),
        // Routes and handlers only: a span per middleware (helmet, cors, the body parser) costs each
        // request more than it tells, their time being in the request's own span.
        new ExpressInstrumentation({
          enabled: false,
          ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
        }),
      ] as const,
  );
  for (const instrumentation of [httpInstrumentation, expressInstrumentation]) {
    instrumentation.setTracerProvider(tracerProvider);
    if (meterProvider) instrumentation.setMeterProvider(meterProvider);
  }
  // Node's own objects, as `require` gives them: an `import` of node:http would build its ES
  // module namespace, reading every export, among them the getters that load undici (~50 ms).
  instrument(httpInstrumentation, {
    http: process.getBuiltinModule('node:http'),
    https: process.getBuiltinModule('node:https'),
  });
  instrument(expressInstrumentation, { express });
  return {
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]);
    },
  };
}
