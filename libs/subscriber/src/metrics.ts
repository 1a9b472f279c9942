import { metrics, type Counter, type Histogram } from '@opentelemetry/api';

export interface DeliveryMetrics {
  /** From the order being placed (the event's time) to this subscriber's effect done. */
  effectLag: Histogram;
  /** How many attempts a delivery took, once it is done or dead-lettered. */
  attempts: Histogram;
  deadLetters: Counter;
}

/**
 * Created when a push handler is, not at import: the global meter provider of the SDK (or of a
 * test) must be in place first. Names are Prometheus-style because the Telemetry API stores OTLP
 * metrics the way Managed Service for Prometheus does, and the dashboard queries them with PromQL.
 */
export function deliveryMetrics(): DeliveryMetrics {
  const meter = metrics.getMeter('orderflow');
  return {
    effectLag: meter.createHistogram('orderflow_effect_lag_seconds', {
      unit: 's',
      description: "Time from an order being placed to a subscriber's effect done",
      advice: { explicitBucketBoundaries: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900] },
    }),
    attempts: meter.createHistogram('orderflow_delivery_attempts', {
      description: 'Attempts a delivery took, by outcome (done, dead-lettered)',
      advice: { explicitBucketBoundaries: [1, 2, 3, 5, 10, 20] },
    }),
    deadLetters: meter.createCounter('orderflow_dead_letters_total', {
      description: 'Messages a subscriber moved to, or left for, its dead-letter topic',
    }),
  };
}
