import { metricNames as m } from '@orderflow/topology';

/**
 * PromQL over the services' OpenTelemetry metrics (names in libs/topology/src/metrics.ts), as the
 * dashboard and the alerts read them.
 *
 * How the names appear in Cloud Monitoring: the Telemetry API writes every OTLP point "as [it is]
 * for Google Cloud Managed Service for Prometheus, by using the Prometheus mapping", on the
 * `prometheus_target` resource (`location` from `cloud.region`, `job` from `service.name`,
 * `instance` from `service.instance.id`):
 * https://docs.cloud.google.com/stackdriver/docs/reference/telemetry/v1.metrics. The metric
 * types are therefore `prometheus.googleapis.com/<name>/<kind>`, e.g.
 * `prometheus.googleapis.com/orderflow_order_duration_seconds/histogram`, `…_total/counter`,
 * `…_seconds/gauge`, and PromQL reads them under the OTLP name itself, a histogram through
 * `_bucket`, `_count` and `_sum` (https://docs.cloud.google.com/stackdriver/docs/otlp-metrics/overview).
 * The names already end in their unit and counters in `_total`, so no suffix is added to them.
 */
export const promql = {
  orderLatency: (quantile: number) =>
    `histogram_quantile(${quantile}, sum by (le) (rate(${m.orderDuration}_bucket[5m])))`,
  ordersByStatus: `sum by (status) (rate(${m.orderDuration}_count[5m]))`,
  effectLag: (quantile: number, window: string) =>
    `histogram_quantile(${quantile}, sum by (subscriber, le) (rate(${m.effectLag}_bucket[${window}])))`,
  attemptsPerDelivery: `sum by (subscriber) (rate(${m.deliveryAttempts}_sum[5m])) / sum by (subscriber) (rate(${m.deliveryAttempts}_count[5m]))`,
  deadLetters: `sum by (subscriber, reason) (increase(${m.deadLetters}[10m]))`,
  redriven: `sum by (subscriber, reason) (increase(${m.redriven}[10m]))`,
  // A gauge point exists only for an export in which the relay measured (libs/telemetry):
  // the newest of each instance within three relay runs, the largest across instances.
  outboxPendingAge: `max(last_over_time(${m.outboxPendingAge}[3m]))`,
} as const;
