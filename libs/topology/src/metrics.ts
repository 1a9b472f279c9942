/**
 * The metrics the services export, named once: the services create their instruments with these
 * names and the Pulumi program's dashboard and alerts query them. Prometheus-style (snake case,
 * the unit and `_total` already in the name) because the Telemetry API stores OTLP metrics as
 * Managed Service for Prometheus does, where PromQL reads them under these very names.
 */
export const metricNames = {
  /** Histogram, seconds, by `status`: how long `POST /orders` took. */
  orderDuration: 'orderflow_order_duration_seconds',
  /** Histogram, seconds, by `subscriber`: from the order placed to the subscriber's effect done. */
  effectLag: 'orderflow_effect_lag_seconds',
  /** Histogram, by `subscriber` and `outcome` (done, dead-lettered): attempts a delivery took. */
  deliveryAttempts: 'orderflow_delivery_attempts',
  /** Counter, by `subscriber` and `reason`: messages moved to, or left for, the dead-letter topic. */
  deadLetters: 'orderflow_dead_letters_total',
  /**
   * Counter, by `subscriber` and `reason` (unrecorded, stalled): deliveries the reconciler sent
   * again because Pub/Sub had not brought them to the subscriber within its bound.
   */
  redriven: 'orderflow_redriven_total',
  /** Gauge, seconds: the oldest outbox entry the relay found unpublished (0 when none). */
  outboxPendingAge: 'orderflow_outbox_pending_age_seconds',
} as const;
