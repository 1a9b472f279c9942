import type * as pulumi from '@pulumi/pulumi';
import {
  reconcilePath,
  serviceAudience,
  subscriberServices,
  topology,
  type ServiceName,
  type Topology,
} from '@orderflow/topology';
import type { SecretName, Settings } from './settings.js';

export interface ServiceContext {
  settings: Settings;
  /** The audience callers of this service put in their OIDC tokens. */
  audience: string;
  pushIdentity: pulumi.Input<string>;
  relayIdentity: pulumi.Input<string>;
  /** Cloud Run's request timeout for this service (`requestTimeoutSecondsOf`). */
  requestTimeoutSeconds: number;
}

export interface ServiceSpec {
  /** Web clients call it over HTTPS; no one else may call a service that is not public. */
  public: boolean;
  /** Environment variables that come from Secret Manager, never from plain env. */
  secrets: Readonly<Record<string, SecretName>>;
  env(context: ServiceContext): Record<string, pulumi.Input<string>>;
}

/** How long Cloud Scheduler waits for a relay or a sweep to answer. */
export const schedulerAttemptDeadlineSeconds = 60;

/**
 * What a relay pass leaves of its caller's deadline after it stops starting publishes: one
 * publish in flight (PUBLISH_TIMEOUT_MS), then its last writes to Firestore (marks, failures,
 * releases) and the claim that may be under way, each a few requests that take well under a
 * second unless Firestore is slow.
 */
export const relayWrapUpMs = 10_000;

/**
 * How long a relay pass publishes: it answers before Cloud Run's request timeout and Cloud
 * Scheduler's attempt deadline, whichever comes first.
 */
export function relayPassMs(requestTimeoutSeconds: number, publishTimeoutMs: number): number {
  const callerDeadlineMs = Math.min(requestTimeoutSeconds, schedulerAttemptDeadlineSeconds) * 1000;
  return callerDeadlineMs - publishTimeoutMs - relayWrapUpMs;
}

/** `oidc` for the public order service; `cloud-run` where Cloud Run has checked the caller. */
const relayEnv = (context: ServiceContext, mode: 'oidc' | 'cloud-run') => ({
  RELAY_AUTH: mode,
  RELAY_AUTH_AUDIENCE: context.audience,
  RELAY_AUTH_SERVICE_ACCOUNT: context.relayIdentity,
  RELAY_PASS_MS: String(
    relayPassMs(context.requestTimeoutSeconds, context.settings.publishTimeoutMs),
  ),
});

/** What each service needs beyond what every service, and every subscriber, gets. */
export const services: Readonly<Record<ServiceName, ServiceSpec>> = {
  order: {
    public: true,
    secrets: {},
    env: (context) => ({
      AUTH_ISSUER: context.settings.auth.issuer,
      AUTH_AUDIENCE: context.settings.auth.audience,
      AUTH_JWKS_URL: context.settings.auth.jwksUrl,
      PUBLISH_TIMEOUT_MS: String(context.settings.publishTimeoutMs),
      CORS_ORIGINS: context.settings.corsOrigins.join(','),
      ...relayEnv(context, 'oidc'),
      // Behind the load balancer, the client's address is one hop further than Cloud Run's front end.
      ...(context.settings.edge && { TRUSTED_PROXY_HOPS: '2' }),
    }),
  },
  notification: {
    public: false,
    secrets: { SMTP_URL: 'smtp-url' },
    env: ({ settings }) => ({ MAIL_FROM: settings.mailFrom }),
  },
  seller: {
    public: false,
    secrets: { SMTP_URL: 'smtp-url', WEBHOOK_MASTER_KEY: 'webhook-master-key' },
    env: ({ settings, audience, relayIdentity }) => ({
      MAIL_FROM: settings.mailFrom,
      WEBHOOK_TIMEOUT_MS: String(settings.webhookTimeoutMs),
      // Cloud Scheduler calls the sweep of failed sellers' webhooks; Cloud Run checks it.
      SWEEP_AUTH: 'cloud-run',
      SWEEP_AUTH_AUDIENCE: audience,
      SWEEP_AUTH_SERVICE_ACCOUNT: relayIdentity,
    }),
  },
  segmentation: {
    public: false,
    secrets: {},
    env: (context) => ({
      PUBLISH_TIMEOUT_MS: String(context.settings.publishTimeoutMs),
      ...relayEnv(context, 'cloud-run'),
    }),
  },
};

export const serviceNames = Object.keys(services) as ServiceName[];

export interface OutboxSpec {
  service: ServiceName;
  /** The Firestore collection the service's transactions write events to. */
  collection: string;
  /** Where Cloud Scheduler triggers the service's relay. */
  path: string;
  job: string;
}

/** Every service that publishes through an outbox (`libs/outbox`); each has its own relay job. */
export const outboxes: readonly OutboxSpec[] = [
  { service: 'order', collection: 'outbox', path: '/internal/outbox/relay', job: 'outbox-relay' },
  {
    service: 'segmentation',
    collection: 'segmentationOutbox',
    path: '/internal/outbox/relay',
    job: 'segmentation-outbox-relay',
  },
];

/**
 * Other calls Cloud Scheduler makes, as the relay's identity: the seller's retry of failed parts,
 * and each subscriber service's reconciler.
 */
export const sweeps: readonly (Omit<OutboxSpec, 'collection'> & { description: string })[] = [
  {
    service: 'seller',
    path: '/internal/parts/retry',
    job: 'seller-parts-retry',
    description:
      "Retries the seller service's failed parts that are due, dead-letters those out of attempts",
  },
  ...subscriberServices(topology).map((service) => ({
    service,
    path: reconcilePath,
    job: `${service}-reconciler`,
    description: `Sends again, through the replay topics, what Pub/Sub never brought the ${service} service`,
  })),
];

/** Whom Cloud Scheduler calls: the services with an outbox relay or a sweep. */
export const scheduled = (service: ServiceName) =>
  [...outboxes, ...sweeps].some((o) => o.service === service);

export function isSubscriber(topology: Topology, service: ServiceName): boolean {
  return topology.subscribers.some((s) => s.service === service);
}

/** See `serviceAudience`: Cloud Run accepts it besides the service URL (`customAudiences`). */
export function audienceOf(settings: Settings, service: ServiceName): string {
  return serviceAudience(settings.project, service);
}

/** Pub/Sub stops waiting for a subscriber at the ack deadline: so does Cloud Run. */
export function requestTimeoutSecondsOf(
  service: ServiceName,
  topology: Topology,
  settings: Settings,
): number {
  return isSubscriber(topology, service)
    ? settings.delivery.ackDeadlineSeconds
    : settings.container.requestTimeoutSeconds;
}

export function environmentOf(
  service: ServiceName,
  topology: Topology,
  context: ServiceContext,
): Record<string, pulumi.Input<string>> {
  const { settings } = context;
  const push: Record<string, pulumi.Input<string>> = isSubscriber(topology, service)
    ? {
        // A private service: Cloud Run checks the push identity and forwards its token unsigned.
        PUSH_AUTH: 'cloud-run',
        PUSH_AUTH_AUDIENCE: context.audience,
        PUSH_AUTH_SERVICE_ACCOUNT: context.pushIdentity,
        MAX_DELIVERY_ATTEMPTS: String(settings.delivery.maxDeliveryAttempts),
        // Longer than one attempt may run, so a redelivery never overlaps one in progress.
        DELIVERY_LEASE_MS: String(settings.delivery.ackDeadlineSeconds * 1500),
        // Cloud Scheduler calls the reconciler; Cloud Run checks it.
        RECONCILE_AUTH: 'cloud-run',
        RECONCILE_AUTH_AUDIENCE: context.audience,
        RECONCILE_AUTH_SERVICE_ACCOUNT: context.relayIdentity,
      }
    : {};
  return {
    GOOGLE_CLOUD_PROJECT: settings.project,
    LOG_LEVEL: settings.logLevel,
    ...telemetryEnvironment(service, settings),
    ...push,
    ...services[service].env(context),
  };
}

/** Google's Telemetry API: OTLP over HTTP, traces to Cloud Trace and metrics to Cloud Monitoring. */
export const telemetryEndpoint = 'https://telemetry.googleapis.com';

/** What the telemetry preload (libs/telemetry) reads: where to export, as whom, how much. */
function telemetryEnvironment(service: ServiceName, settings: Settings): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    SERVICE_VERSION: settings.imageTag,
    // Cloud Monitoring places every metric point by region (prometheus_target's `location`).
    CLOUD_REGION: settings.region,
    TELEMETRY_OTLP_URL: telemetryEndpoint,
    TELEMETRY_AUTH: 'google',
    TRACE_SAMPLE_RATIO: String(settings.telemetry.traceSamplePercent / 100),
    METRICS_EXPORT_INTERVAL_MS: String(settings.telemetry.metricsExportIntervalMs),
  };
}

/** Each secret is readable by exactly the services whose environment names it. */
export function secretReaders(
  memberOf: (service: ServiceName) => pulumi.Input<string>,
  people: Partial<Record<SecretName, readonly string[]>> = {},
): Partial<Record<SecretName, Record<string, pulumi.Input<string>>>> {
  const readers: Partial<Record<SecretName, Record<string, pulumi.Input<string>>>> = {};
  for (const name of serviceNames) {
    for (const secret of Object.values(services[name].secrets)) {
      readers[secret] = { ...readers[secret], [name]: memberOf(name) };
    }
  }
  // Named by member, so removing one person leaves the others' grants alone.
  for (const [secret, members] of Object.entries(people) as [SecretName, string[]][]) {
    readers[secret] = { ...readers[secret], ...Object.fromEntries(members.map((m) => [m, m])) };
  }
  return readers;
}
