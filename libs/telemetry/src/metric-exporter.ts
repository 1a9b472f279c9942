import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';

/**
 * OTLP metrics, cumulative as Prometheus (and so the Telemetry API) expects, except gauges: a
 * gauge sends only what was recorded since the last export. Cumulatively, an instance would
 * repeat its last value for as long as it lives: the outbox relay runs on whichever order
 * instance Cloud Scheduler reaches, and an instance that saw an old entry once would keep the
 * outbox alert firing after another instance had published it.
 */
export class OrderflowMetricExporter extends OTLPMetricExporter {
  override selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return type === InstrumentType.GAUGE
      ? AggregationTemporality.DELTA
      : AggregationTemporality.CUMULATIVE;
  }
}
