import { topology, type ServiceName } from '@orderflow/topology';
import { issuerUrl, localAudience, localWebhookMasterKey, type LocalConfig } from './config.js';
import { devTokenAlgorithm } from './dev-issuer.js';
import type { ProductionAuth } from './production-auth.js';

export interface ServiceEnvOptions {
  port: number;
  /** With `LOCAL_PUSH_AUTH=production`: the services authenticate as on Cloud Run. */
  productionAuth?: ProductionAuth | undefined;
  /** Where the order service reaches Pub/Sub, when a fault proxy stands before the emulator. */
  pubsubHostPort?: string | undefined;
}

/**
 * How old an unhandled delivery is when the local reconciler sends it again: past the local
 * retries (10 s backoff, 10 s deadline), as production's 15 minutes are past its own.
 */
export const localReconcileOlderThanMs =
  3 *
  (topology.delivery.local.maxBackoffSeconds + topology.delivery.local.ackDeadlineSeconds) *
  1000;

/**
 * A service's environment in the local system: the emulators, the local identity provider,
 * the mail catcher and the trace collector of `config`. The cold-start benchmark starts the
 * services with it too.
 */
export function localServiceEnv(
  config: LocalConfig,
  service: ServiceName,
  where: ServiceEnvOptions,
): NodeJS.ProcessEnv {
  const common = {
    PATH: process.env.PATH,
    // Not on Google Cloud: skip the client libraries' metadata server probe.
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: config.GOOGLE_CLOUD_PROJECT,
    FIRESTORE_EMULATOR_HOST: config.FIRESTORE_EMULATOR_HOST,
    PUBSUB_EMULATOR_HOST: config.PUBSUB_EMULATOR_HOST,
    PORT: String(where.port),
    LOG_LEVEL: config.LOG_LEVEL,
    OTEL_SERVICE_NAME: service,
    TELEMETRY_OTLP_URL: `http://127.0.0.1:${config.TRACE_COLLECTOR_PORT}`,
    // Spans reach the store within a moment, not the 5 s a production batch waits.
    TRACE_EXPORT_DELAY_MS: '200',
  };
  const subscriber = {
    PUSH_AUTH: 'off',
    RECONCILE_AUTH: 'off',
    ...where.productionAuth?.env(service),
    MAX_DELIVERY_ATTEMPTS: String(topology.delivery.local.maxDeliveryAttempts),
    // Longer than an attempt may take, so a redelivery never overlaps one still running.
    DELIVERY_LEASE_MS: String(topology.delivery.local.ackDeadlineSeconds * 3000),
    RECONCILE_OLDER_THAN_MS: String(localReconcileOlderThanMs),
    RECONCILE_LOOKBACK_MS: String(10 * 60_000),
  };
  const smtp = `smtp://127.0.0.1:${config.MAIL_SMTP_PORT}`;
  // Every 5 s: the emulator answers the relay's query by scanning the whole outbox.
  const relay = { RELAY_AUTH: 'off', RELAY_INTERVAL_MS: '5000', RELAY_GRACE_MS: '3000' };
  const own: Record<ServiceName, Record<string, string>> = {
    order: {
      PUBSUB_EMULATOR_HOST: where.pubsubHostPort ?? config.PUBSUB_EMULATOR_HOST,
      AUTH_ISSUER: issuerUrl(config),
      AUTH_AUDIENCE: localAudience,
      AUTH_JWKS_URL: `${issuerUrl(config)}/.well-known/jwks.json`,
      AUTH_ALGORITHMS: devTokenAlgorithm,
      ...relay,
      ...where.productionAuth?.env(service),
      CORS_ORIGINS: config.CORS_ORIGINS,
      HSTS: 'off',
    },
    notification: { ...subscriber, SMTP_URL: smtp },
    seller: {
      ...subscriber,
      SWEEP_AUTH: 'off',
      ...where.productionAuth?.env(service),
      SMTP_URL: smtp,
      WEBHOOK_MASTER_KEY: localWebhookMasterKey,
      WEBHOOK_TARGETS: 'any',
      // Short, so a broken seller is dead-lettered in seconds here (minutes in production).
      SELLER_ATTEMPTS: String(topology.delivery.local.maxDeliveryAttempts),
      SELLER_MIN_BACKOFF_MS: String(topology.delivery.local.minBackoffSeconds * 1000),
      SELLER_MAX_BACKOFF_MS: String(topology.delivery.local.maxBackoffSeconds * 1000),
    },
    segmentation: { ...subscriber, ...relay },
  };
  return { ...common, ...own[service] };
}
