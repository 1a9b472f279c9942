import { expect } from 'chai';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OrderflowMetricExporter } from '@orderflow/telemetry/exporters';

describe('telemetry: the metric exporter', () => {
  // Collected by hand; the export interval is never reached and nothing is sent.
  const reader = new PeriodicExportingMetricReader({
    exporter: new OrderflowMetricExporter({ url: 'http://127.0.0.1:9/v1/metrics' }),
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  after(() => provider.shutdown());

  async function collected(): Promise<Record<string, number[]>> {
    const { resourceMetrics } = await reader.collect();
    return Object.fromEntries(
      resourceMetrics.scopeMetrics.flatMap((s) =>
        s.metrics.map((m) => [m.descriptor.name, m.dataPoints.map((p) => p.value as number)]),
      ),
    );
  }

  it('sends a gauge only when it was recorded since the last export, counters and histograms cumulatively', async () => {
    const meter = provider.getMeter('test');
    const gauge = meter.createGauge('age');
    const counter = meter.createCounter('events_total');
    const histogram = meter.createHistogram('duration');
    gauge.record(400);
    counter.add(2);
    histogram.record(1);

    const first = await collected();
    expect(first.age).to.deep.equal([400]);
    expect(first.events_total).to.deep.equal([2]);

    counter.add(1);
    const second = await collected();
    expect(second).to.not.have.property('age');
    expect(second.events_total).to.deep.equal([3]);
    expect(second).to.have.property('duration');
  });
});
