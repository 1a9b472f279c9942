import { metrics, type Counter, type Histogram } from '@opentelemetry/api';
import { metricNames } from '@orderflow/topology';

export interface DeliveryMetrics {
  /** From the order being placed (the event's time) to this subscriber's effect done. */
  effectLag: Histogram;
  /** How many attempts a delivery took, once it is done or dead-lettered. */
  attempts: Histogram;
  deadLetters: Counter;
}

/**
 * Created when a push handler is, not at import: the global meter provider of the SDK (or of a
 * test) must be in place first. The names are shared with the Pulumi program's dashboard and alerts.
 */
export function deliveryMetrics(): DeliveryMetrics {
  const meter = metrics.getMeter('orderflow');
  return {
    effectLag: meter.createHistogram(metricNames.effectLag, {
      unit: 's',
      description: "Time from an order being placed to a subscriber's effect done",
      advice: { explicitBucketBoundaries: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900] },
    }),
    attempts: meter.createHistogram(metricNames.deliveryAttempts, {
      description: 'Attempts a delivery took, by outcome (done, dead-lettered)',
      advice: { explicitBucketBoundaries: [1, 2, 3, 5, 10, 20] },
    }),
    deadLetters: meter.createCounter(metricNames.deadLetters, {
      description: 'Messages a subscriber moved to, or left for, its dead-letter topic',
    }),
  };
}
