import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AggregationTemporality,
  InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

type Exporter<Item> = {
  export(items: Item, resultCallback: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
};

/**
 * An exporter whose module is loaded by its first export, not by the preload: the OTLP
 * exporters and what they need (the OTLP transformer, the HTTP transport) are a fifth of what a
 * start evaluates, and nothing is exported before the service answers. A batch ended before the
 * load waits for it.
 */
class Deferred<Item> implements Exporter<Item> {
  #exporter: Promise<Exporter<Item>> | undefined;

  constructor(private readonly load: () => Promise<Exporter<Item>>) {}

  export(items: Item, resultCallback: (result: ExportResult) => void): void {
    this.#exporter ??= this.load();
    this.#exporter.then(
      (exporter) => exporter.export(items, resultCallback),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  async forceFlush(): Promise<void> {
    await (await this.#exporter)?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await (await this.#exporter)?.shutdown();
  }
}

/** Spans over OTLP/HTTP (JSON), the exporter loaded by the first batch. */
export function otlpSpanExporter(
  config: ConstructorParameters<typeof OTLPTraceExporter>[0],
): SpanExporter {
  return new Deferred<ReadableSpan[]>(async () => {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(config);
  });
}

/**
 * OTLP metrics, cumulative as Prometheus (and so the Telemetry API) expects, except gauges: a
 * gauge sends only what was recorded since the last export. Cumulatively, an instance would
 * repeat its last value for as long as it lives: the outbox relay runs on whichever order
 * instance Cloud Scheduler reaches, and an instance that saw an old entry once would keep the
 * outbox alert firing after another instance had published it.
 *
 * The metric reader asks for the temporality when it is built, so it is answered here rather
 * than by the exporter, which is loaded by the first export.
 */
export class OrderflowMetricExporter
  extends Deferred<ResourceMetrics>
  implements PushMetricExporter
{
  constructor(config: ConstructorParameters<typeof OTLPMetricExporter>[0]) {
    super(async () => {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
      return new OTLPMetricExporter(config);
    });
  }

  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return type === InstrumentType.GAUGE
      ? AggregationTemporality.DELTA
      : AggregationTemporality.CUMULATIVE;
  }
}
