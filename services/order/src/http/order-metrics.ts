import { metrics } from '@opentelemetry/api';
import { metricNames } from '@orderflow/topology';
import type { RequestHandler } from 'express';

/**
 * Records how long each `POST /orders` took, by response status: the latency histogram and,
 * through its counts, the outcomes (201, 409, 422, 503, …).
 */
export function orderLatency(): RequestHandler {
  const duration = metrics.getMeter('orderflow').createHistogram(metricNames.orderDuration, {
    unit: 's',
    description: 'Time to answer POST /orders, by HTTP status',
    advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });
  return (_req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      duration.record((performance.now() - started) / 1000, { status: res.statusCode });
    });
    next();
  };
}
