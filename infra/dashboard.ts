import { promql } from './metrics.js';

export interface DashboardThresholds {
  effectLagSeconds: number;
  outboxAgeSeconds: number;
}

interface Chart {
  title: string;
  /** PromQL, one line on the chart each. */
  queries: string[];
  unit: string;
  /** The alert's threshold, drawn as a line. */
  threshold?: { value: number; label: string };
}

/**
 * The Cloud Monitoring dashboard of the order flow, as the API takes it
 * (https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards): the services'
 * own metrics, two charts a row.
 */
export function orderflowDashboard(thresholds: DashboardThresholds) {
  const charts: Chart[] = [
    {
      title: 'Orders: POST /orders latency (p50, p95, p99)',
      queries: [0.5, 0.95, 0.99].map(promql.orderLatency),
      unit: 's',
    },
    {
      title: 'Orders: answers per second, by status',
      queries: [promql.ordersByStatus],
      unit: '1/s',
    },
    {
      title: 'Subscribers: order placed → effect done (p95), by subscriber',
      queries: [promql.effectLag(0.95, '5m')],
      unit: 's',
      threshold: { value: thresholds.effectLagSeconds, label: 'effect lag alert' },
    },
    {
      title: 'Subscribers: attempts per delivery, by subscriber',
      queries: [promql.attemptsPerDelivery],
      unit: 'attempts',
    },
    {
      title: 'Subscribers: dead letters in 10 minutes, by subscriber and reason',
      queries: [promql.deadLetters],
      unit: 'messages',
    },
    {
      title:
        'Subscribers: deliveries the reconciler re-drove in 10 minutes, by subscriber and reason',
      queries: [promql.redriven],
      unit: 'deliveries',
    },
    {
      title: 'Outbox: oldest unpublished event',
      queries: [promql.outboxPendingAge],
      unit: 's',
      threshold: { value: thresholds.outboxAgeSeconds, label: 'outbox age alert' },
    },
  ];
  const width = 24;
  const height = 16;
  return {
    displayName: 'orderflow',
    mosaicLayout: {
      columns: 2 * width,
      tiles: charts.map((chart, i) => ({
        xPos: (i % 2) * width,
        yPos: Math.floor(i / 2) * height,
        width,
        height,
        widget: { title: chart.title, xyChart: xyChart(chart) },
      })),
    },
  };
}

function xyChart(chart: Chart) {
  return {
    dataSets: chart.queries.map((prometheusQuery) => ({
      timeSeriesQuery: { prometheusQuery, unitOverride: chart.unit },
      plotType: 'LINE',
      targetAxis: 'Y1',
    })),
    yAxis: { scale: 'LINEAR' },
    ...(chart.threshold && {
      thresholds: [{ ...chart.threshold, targetAxis: 'Y1', color: 'RED', direction: 'ABOVE' }],
    }),
  };
}
