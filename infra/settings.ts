import * as pulumi from '@pulumi/pulumi';
import type { DeliveryPolicy } from '@orderflow/topology';

const logLevels = ['debug', 'info', 'warning', 'error'] as const;
type LogLevel = (typeof logLevels)[number];

export interface ContainerSettings {
  cpu: string;
  memory: string;
  concurrency: number;
  requestTimeoutSeconds: number;
  minInstances: number;
  maxInstances: number;
}

/** The Secret Manager secrets the stack holds; `services.ts` says which service reads which. */
export type SecretName = 'smtp-url' | 'webhook-master-key';

/** The stack's configuration, read and checked once. Defaults live in Pulumi.yaml. */
export interface Settings {
  project: string;
  region: string;
  firestoreLocation: string;
  imageTag: string;
  logLevel: LogLevel;
  delivery: DeliveryPolicy;
  /** The subscribers' instances; the order service scales by `orderInstances`. */
  container: ContainerSettings;
  /** The order API takes the buyers' peak, the subscribers the events' (docs/capacity.md). */
  orderInstances: { minInstances: number; maxInstances: number };
  auth: { issuer: string; audience: string; jwksUrl: string };
  publishTimeoutMs: number;
  /** Web origins allowed to call the order API from a browser (CORS). */
  corsOrigins: string[];
  webhookTimeoutMs: number;
  mailFrom: string;
  relaySchedule: string;
  /** What every service exports to Google's Telemetry API. */
  telemetry: { traceSamplePercent: number; metricsExportIntervalMs: number };
  alerts: {
    email: string;
    oldestUnackedAgeSeconds: number;
    orderErrorRatePercent: number;
    effectLagSeconds: number;
    outboxAgeSeconds: number;
  };
  /** Cloud Armor in front of the order service, when the stack turns it on. */
  edge?: { domain: string; requestsPerMinutePerIp: number };
  /** IAM members (`group:…`, `user:…`) who run the `dlq` commands. */
  operators: string[];
  /** The BigQuery dataset's location, and who may read it and run queries. */
  analytics: { location: string; analysts: string[] };
  deletionProtection: boolean;
  secrets: Record<SecretName, pulumi.Output<string>>;
}

export function loadSettings(): Settings {
  const config = new pulumi.Config();
  const project = new pulumi.Config('gcp').require('project');
  const settings: Settings = {
    project,
    region: config.require('region'),
    firestoreLocation: config.require('firestoreLocation'),
    imageTag: config.require('imageTag'),
    logLevel: config.require<LogLevel>('logLevel', { allowedValues: [...logLevels] }),
    delivery: {
      ackDeadlineSeconds: config.requireNumber('ackDeadlineSeconds'),
      minBackoffSeconds: config.requireNumber('minBackoffSeconds'),
      maxBackoffSeconds: config.requireNumber('maxBackoffSeconds'),
      maxDeliveryAttempts: config.requireNumber('maxDeliveryAttempts'),
    },
    container: {
      cpu: config.require('cpu'),
      memory: config.require('memory'),
      concurrency: config.requireNumber('concurrency'),
      requestTimeoutSeconds: config.requireNumber('requestTimeoutSeconds'),
      minInstances: config.requireNumber('minInstances'),
      maxInstances: config.requireNumber('maxInstances'),
    },
    orderInstances: {
      minInstances: config.requireNumber('orderMinInstances'),
      maxInstances: config.requireNumber('orderMaxInstances'),
    },
    auth: {
      // Identity Platform of this project unless configured otherwise.
      issuer: config.get('authIssuer') || `https://securetoken.google.com/${project}`,
      audience: config.get('authAudience') || project,
      jwksUrl: config.require('authJwksUrl'),
    },
    publishTimeoutMs: config.requireNumber('publishTimeoutMs'),
    corsOrigins: config.requireObject<string[]>('corsOrigins'),
    webhookTimeoutMs: config.requireNumber('webhookTimeoutMs'),
    mailFrom: config.require('mailFrom'),
    relaySchedule: config.require('relaySchedule'),
    telemetry: {
      traceSamplePercent: config.requireNumber('traceSamplePercent'),
      metricsExportIntervalMs: config.requireNumber('metricsExportIntervalMs'),
    },
    alerts: {
      email: config.require('alertEmail'),
      oldestUnackedAgeSeconds: config.requireNumber('oldestUnackedAgeAlertSeconds'),
      orderErrorRatePercent: config.requireNumber('orderErrorRateAlertPercent'),
      effectLagSeconds: config.requireNumber('effectLagAlertSeconds'),
      outboxAgeSeconds: config.requireNumber('outboxAgeAlertSeconds'),
    },
    ...(config.requireBoolean('cloudArmor') && {
      edge: {
        domain: config.require('apiDomain'),
        requestsPerMinutePerIp: config.requireNumber('cloudArmorRequestsPerMinute'),
      },
    }),
    operators: config.requireObject<string[]>('operators'),
    analytics: {
      location: config.require('analyticsLocation'),
      analysts: config.requireObject<string[]>('analysts'),
    },
    deletionProtection: config.requireBoolean('deletionProtection'),
    secrets: {
      'smtp-url': config.requireSecret('smtpUrl'),
      'webhook-master-key': config.requireSecret('webhookMasterKey'),
    },
  };
  const problems = problemsWith(settings);
  if (problems.length > 0) {
    throw new Error(`invalid stack configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return settings;
}

/** Limits Google Cloud would reject later, reported all at once before anything is created. */
export function problemsWith(settings: Settings): string[] {
  const { delivery, container, orderInstances, telemetry, alerts } = settings;
  const checks: [boolean, string][] = [
    [
      between(delivery.ackDeadlineSeconds, 10, 600),
      'ackDeadlineSeconds must be between 10 and 600',
    ],
    [between(delivery.minBackoffSeconds, 0, 600), 'minBackoffSeconds must be between 0 and 600'],
    [
      between(delivery.maxBackoffSeconds, delivery.minBackoffSeconds, 600),
      'maxBackoffSeconds must be between minBackoffSeconds and 600',
    ],
    [
      between(delivery.maxDeliveryAttempts, 5, 100),
      'maxDeliveryAttempts must be between 5 and 100',
    ],
    [between(container.concurrency, 1, 1000), 'concurrency must be between 1 and 1000'],
    [
      between(container.requestTimeoutSeconds, 1, 3600),
      'requestTimeoutSeconds must be between 1 and 3600',
    ],
    [between(container.minInstances, 0, 1000), 'minInstances must be between 0 and 1000'],
    [
      between(container.maxInstances, Math.max(1, container.minInstances), 1000),
      'maxInstances must be at least 1 and at least minInstances',
    ],
    [between(orderInstances.minInstances, 0, 1000), 'orderMinInstances must be between 0 and 1000'],
    [
      between(orderInstances.maxInstances, Math.max(1, orderInstances.minInstances), 1000),
      'orderMaxInstances must be at least 1 and at least orderMinInstances',
    ],
    [
      between(alerts.orderErrorRatePercent, 1, 100),
      'orderErrorRateAlertPercent must be between 1 and 100',
    ],
    [alerts.oldestUnackedAgeSeconds > 0, 'oldestUnackedAgeAlertSeconds must be positive'],
    [alerts.effectLagSeconds > 0, 'effectLagAlertSeconds must be positive'],
    [alerts.outboxAgeSeconds > 0, 'outboxAgeAlertSeconds must be positive'],
    [between(telemetry.traceSamplePercent, 0, 100), 'traceSamplePercent must be between 0 and 100'],
    // Cloud Monitoring takes one point per series every 5 s at most.
    [
      between(telemetry.metricsExportIntervalMs, 5000, 3_600_000),
      'metricsExportIntervalMs must be between 5000 and 3600000',
    ],
    [alerts.email.includes('@'), 'alertEmail must be an email address'],
  ];
  const { edge } = settings;
  if (edge) {
    checks.push(
      [isHostName(edge.domain), 'apiDomain must be a host name (api.shop.example) with cloudArmor'],
      [
        between(edge.requestsPerMinutePerIp, 1, 10_000),
        'cloudArmorRequestsPerMinute must be between 1 and 10000',
      ],
    );
  }
  const badMembers = (key: string, members: readonly string[]) =>
    members
      .filter((m) => !/^(user|group|serviceAccount):\S+$/.test(m))
      .map((m) => `${key}: ${m} is not a user:, group: or serviceAccount: member`);
  // The order service refuses anything else at start-up; better to hear it before deploying.
  const badOrigins = settings.corsOrigins.filter((o) => !isHttpsOrigin(o));
  return [
    ...checks.filter(([ok]) => !ok).map(([, problem]) => problem),
    ...badMembers('operators', settings.operators),
    ...badMembers('analysts', settings.analytics.analysts),
    ...badOrigins.map((o) => `corsOrigins: ${o} is not an https origin (https://host[:port])`),
  ];
}

function isHttpsOrigin(text: string): boolean {
  return URL.canParse(text) && new URL(text).origin === text && text.startsWith('https://');
}

function isHostName(text: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(text);
}

function between(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
