import * as z from 'zod';
import { parseConfig, port } from '@orderflow/platform';

const hostPort = z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port');

/** Where each part of the local system listens; every default can be overridden by environment. */
export const localConfig = z.object({
  GOOGLE_CLOUD_PROJECT: z
    .string()
    .min(1)
    .default('demo-local')
    .describe("The emulators' project id."),
  ORDER_API_PORT: port(8080).describe(
    "The order API's one address: Cloud Run's front end, played locally, before every instance.",
  ),
  ORDER_INSTANCES: z.coerce
    .number()
    .int()
    .min(1)
    .max(8)
    .default(1)
    .describe(
      'Order-service processes behind it, as Cloud Run scales out; requests go round-robin.',
    ),
  ORDER_INSTANCE_PORT: port(8180).describe("The first instance's port; the next ones follow it."),
  NOTIFICATION_PORT: port(8081).describe('The notification service.'),
  SELLER_PORT: port(8082).describe('The seller service.'),
  SEGMENTATION_PORT: port(8083).describe('The segmentation service.'),
  PUBSUB_EMULATOR_HOST: hostPort.default('127.0.0.1:8085').describe('The Pub/Sub emulator.'),
  FIRESTORE_EMULATOR_HOST: hostPort.default('127.0.0.1:8086').describe('The Firestore emulator.'),
  DEV_ISSUER_PORT: port(8090).describe('The development token issuer (JWKS) of `npm run token`.'),
  MAIL_SMTP_PORT: port(2525).describe("The mail catcher's SMTP server."),
  MAIL_HTTP_PORT: port(8025).describe("The mail catcher's HTTP API: `GET /messages`."),
  WEBHOOK_SINK_PORT: port(8026).describe("The sellers' webhook stand-in."),
  LOCAL_PUSH_AUTH: z
    .enum(['emulator', 'production'])
    .default('emulator')
    .describe(
      '`production` puts the Google front-end stand-in between the Pub/Sub emulator and the ' +
        'subscribers, which then authenticate pushes as on Cloud Run.',
    ),
  GOOGLE_FRONT_END_PORT: port(8091).describe('The Google front-end stand-in.'),
  CORS_ORIGINS: z
    .string()
    .default('http://localhost:3000')
    .describe('Web pages that may call the local order API, comma-separated.'),
  ANALYTICS_PORT: port(8027).describe(
    'The analytics database (DuckDB) that `npm run analytics` queries.',
  ),
  TRACE_COLLECTOR_PORT: port(4318).describe(
    'The OTLP/HTTP receiver that writes `.local/traces.ndjson`.',
  ),
  CONSOLE_PORT: port(8088).describe('The operator console.'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warning', 'error'])
    .default('info')
    .describe("The services' log level; `warning` keeps the test output short."),
});

export type LocalConfig = z.output<typeof localConfig>;

/** The master key of seller webhook secrets in the local system. Never use it elsewhere. */
export const localWebhookMasterKey = 'whsec_b3JkZXJmbG93LWxvY2FsLXdlYmhvb2stc2VjcmV0ISE=';

export const localAudience = 'orderflow-local';

/**
 * The local system's ports from `base` on, each at its own offset, for a system that runs beside
 * `npm start` (the system tests, the bench), and beside another given another base. The console
 * and the Google front-end stand-in are the caller's to place, among its own listeners.
 */
export function portsFrom(base: number) {
  const at = (offset: number) => String(base + offset);
  return {
    ORDER_API_PORT: at(80),
    ORDER_INSTANCE_PORT: at(180),
    NOTIFICATION_PORT: at(81),
    SELLER_PORT: at(82),
    SEGMENTATION_PORT: at(83),
    PUBSUB_EMULATOR_HOST: `127.0.0.1:${at(85)}`,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${at(86)}`,
    DEV_ISSUER_PORT: at(90),
    MAIL_SMTP_PORT: at(525),
    MAIL_HTTP_PORT: at(25),
    WEBHOOK_SINK_PORT: at(26),
    ANALYTICS_PORT: at(27),
    TRACE_COLLECTOR_PORT: at(318),
  };
}

export const issuerUrl = (config: LocalConfig) => `http://127.0.0.1:${config.DEV_ISSUER_PORT}`;

/**
 * A system as production runs it, on ports of its own from `base` (the system tests, the fault
 * campaign): two order instances behind the front end, so that contention crosses processes, and
 * the subscribers authenticating pushes behind the Google front-end stand-in. `overrides` sets the
 * rest (the project, CORS, the log level).
 */
export function productionLikeConfig(base: number, overrides: Record<string, string>): LocalConfig {
  return parseConfig(localConfig, {
    ...portsFrom(base),
    ORDER_INSTANCES: '2',
    GOOGLE_FRONT_END_PORT: String(base + 91),
    LOCAL_PUSH_AUTH: 'production',
    // Past the Pub/Sub fault proxy, at base + 87.
    CONSOLE_PORT: String(base + 88),
    ...overrides,
  });
}
