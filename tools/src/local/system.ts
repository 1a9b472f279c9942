import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { PubSub } from '@google-cloud/pubsub';
import { join } from 'node:path';
import { createFirestore, createPubSub } from '@orderflow/platform';
import { partsRetryPath } from '@orderflow/subscriber';
import {
  reconcilePath,
  serviceAudience,
  subscriberServices,
  topology,
  type ServiceName,
} from '@orderflow/topology';
import { startConsole } from '../console/server.js';
import { parseCatalog, upsertCatalog, type Catalog } from '../shared/catalog.js';
import { createTopology } from '../shared/pubsub-topology.js';
import { AnalyticsDatabase } from './analytics/database.js';
import { startAnalyticsFeed } from './analytics/feed.js';
import { startAnalyticsServer } from './analytics/server.js';
import { localWebhookMasterKey, type LocalConfig } from './config.js';
import { loadOrCreateDevKey, startDevIssuer } from './dev-issuer.js';
import { checkJava, sdkRoot, startEmulator } from './emulators.js';
import type { RunningServer } from './http.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startMailCapture } from './mail-capture.js';
import { startProductionAuth, type ProductionAuth } from './production-auth.js';
import { startPublicFrontEnd } from './public-front-end.js';
import { localServiceEnv } from './service-env.js';
import { startTraceCollector } from './trace-collector.js';
import { spawnManaged, waitUntilReady, type LogSink, type ManagedProcess } from './processes.js';
import { startScheduledCall, type ScheduledCall } from './scheduler.js';
import { startWebhookSink } from './webhook-sink.js';
import { repoRoot } from './paths.js';
import { serviceCommand, type ServiceBuild } from './service-command.js';

export { repoRoot };
export const demoCatalogPath = join(repoRoot, 'catalog/demo.json');
const defaultSinkOrigin = 'http://127.0.0.1:8026';

export interface LocalSystemOptions {
  config: LocalConfig;
  /** Holds the development issuer's key, which `npm run token` signs with. */
  stateDir: string;
  log: LogSink;
  catalog?: Catalog;
  /** Environment added to a service's own, e.g. to lengthen a timeout for a test. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Puts a fault proxy on this port between the order service and Pub/Sub (fault-injection tests). */
  pubsubFaultProxyPort?: number;
  /** Where the services' spans are kept, one a line; `<stateDir>/traces.ndjson` by default. */
  traceFile?: string;
  /** The analytics database (DuckDB), emptied at start; `<stateDir>/analytics.duckdb` by default. */
  analyticsFile?: string;
  /** What the services run from: their sources by default, the image's bundles for the bench. */
  build?: ServiceBuild;
}

export interface LocalSystem {
  config: LocalConfig;
  urls: {
    orderApi: string;
    mail: string;
    webhooks: string;
    console: string;
    issuer: string;
    /** Each service's address; the order service's is the front end before its instances. */
    services: Record<ServiceName, string>;
    /** Where each order-service instance listens itself, behind the front end: `order#1`, … */
    orderInstances: Record<string, string>;
  };
  /** How many requests the front end gave to an order-service instance (`order#1`, …). */
  forwardedTo(instance: string): number;
  /** Present when `pubsubFaultProxyPort` was given. */
  pubsubFaults: FaultProxy | undefined;
  /** Google's side of push authentication, played locally; present with `LOCAL_PUSH_AUTH=production`. */
  productionAuth: ProductionAuth | undefined;
  /** The spans every service exported, for `npm run trace`. */
  traceFile: string;
  /** Where `npm run analytics` queries: `POST /query`. */
  analyticsUrl: string;
  /**
   * Stops one service or instance (`order` stops every order instance, `order#2` one of them):
   * SIGTERM as a deployment would, SIGKILL as a crash would.
   */
  stopService(instance: string, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /**
   * Starts a service with `env` added (a variable set to undefined is removed): `order` starts
   * every order instance behind the front end, `order#2` one of them; under another `instance`
   * name and its own `PORT`, an instance beside them that the front end does not route to.
   */
  startService(
    service: ServiceName,
    env?: Record<string, string | undefined>,
    instance?: string,
  ): Promise<void>;
  /** Freezes an emulator's processes (it then answers nothing, as a Firestore that hangs) or thaws them. */
  freezeEmulator(name: 'firestore' | 'pubsub', frozen: boolean): void;
  /**
   * Replaces the Pub/Sub emulator with a new, empty one on the same port and creates the topology
   * again; every message it held is gone. The clients connected to it reconnect on their own.
   */
  restartPubSubEmulator(): Promise<void>;
  /** The CPU time a service instance has used so far, in ms (Linux); undefined if it is not running. */
  cpuMs(instance: string): number | undefined;
  stop(): Promise<void>;
}

/** The order-service instances behind the front end, by name, each with its own port. */
const orderInstancePorts = (config: LocalConfig): Map<string, number> =>
  new Map(
    Array.from({ length: config.ORDER_INSTANCES }, (_, i) => [
      `order#${i + 1}`,
      config.ORDER_INSTANCE_PORT + i,
    ]),
  );

const servicePort = (config: LocalConfig): Record<ServiceName, number> => ({
  order: config.ORDER_API_PORT,
  notification: config.NOTIFICATION_PORT,
  seller: config.SELLER_PORT,
  segmentation: config.SEGMENTATION_PORT,
});

/**
 * The whole system on one machine: the Pub/Sub and Firestore emulators, the topology,
 * the catalog, a development identity provider, a mail catcher, a stand-in for the
 * sellers' webhook endpoints, the four services, each its own process, and the console.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const { config, log } = options;
  const ports = servicePort(config);
  const serviceUrl = (service: ServiceName) => `http://127.0.0.1:${ports[service]}`;
  const instancePorts = orderInstancePorts(config);
  const instanceUrl = (name: string) => `http://127.0.0.1:${instancePorts.get(name)}`;
  const emulators: ManagedProcess[] = [];
  const servers: RunningServer[] = [];
  const services = new Map<string, ManagedProcess>();
  /** The order instances that answered `/healthz`: only they get requests from the front end. */
  const ready = new Set<string>();
  let pubsubFaults: FaultProxy | undefined;
  let productionAuth: ProductionAuth | undefined;
  let scheduled: { stop(): Promise<void> }[] = [];
  const traceFile = options.traceFile ?? join(options.stateDir, 'traces.ndjson');
  const analyticsFile = options.analyticsFile ?? join(options.stateDir, 'analytics.duckdb');
  /** The analytics database and what feeds it, with its own Pub/Sub client. */
  let analytics:
    { database: AnalyticsDatabase; feed: { close(): Promise<void> }; pubsub: PubSub } | undefined;

  const stop = async () => {
    await Promise.all(scheduled.map((call) => call.stop()));
    scheduled = [];
    ready.clear();
    await Promise.all([...services.values()].map((s) => s.stop()));
    services.clear();
    await analytics?.feed.close();
    await analytics?.pubsub.close();
    await Promise.all([
      ...emulators.map((e) => e.stop()),
      ...servers.map((s) => s.close()),
      pubsubFaults?.close(),
    ]);
    emulators.length = 0;
    servers.length = 0;
    analytics?.database.close();
    analytics = undefined;
  };

  const env = (
    service: ServiceName,
    extra: Record<string, string | undefined> = {},
  ): NodeJS.ProcessEnv => ({
    ...localServiceEnv(config, service, {
      port: ports[service],
      productionAuth,
      pubsubHostPort: pubsubFaults?.hostPort,
    }),
    ...options.serviceEnv?.[service],
    ...extra,
  });

  const startService = async (
    service: ServiceName,
    extra?: Record<string, string | undefined>,
    instance: string = service,
  ): Promise<void> => {
    if (instance === 'order') {
      await Promise.all(
        [...instancePorts.keys()].map((name) => startService(service, extra, name)),
      );
      return;
    }
    if (services.has(instance)) throw new Error(`${instance} is already running`);
    const own = instancePorts.get(instance);
    const serviceEnv = env(service, { ...(own ? { PORT: String(own) } : {}), ...extra });
    const { cwd, args } = serviceCommand(service, options.build ?? 'source');
    const child = spawnManaged(instance, process.execPath, args, {
      cwd,
      env: serviceEnv,
      log,
      ipc: true,
    });
    services.set(instance, child);
    await waitUntilReady(`http://127.0.0.1:${serviceEnv.PORT}/healthz`, child);
    ready.add(instance);
  };

  const stopService = async (instance: string, signal?: 'SIGTERM' | 'SIGKILL') => {
    const names = instance === 'order' ? [...instancePorts.keys()] : [instance];
    await Promise.all(
      names.map(async (name) => {
        ready.delete(name);
        await services.get(name)?.stop(signal);
        services.delete(name);
      }),
    );
  };

  try {
    const root = sdkRoot();
    checkJava();
    const key = await loadOrCreateDevKey(join(options.stateDir, 'dev-issuer-key.json'));
    const started = await Promise.all([
      startEmulator('pubsub', config.PUBSUB_EMULATOR_HOST, root, log),
      startEmulator('firestore', config.FIRESTORE_EMULATOR_HOST, root, log),
    ]);
    emulators.push(...started);
    servers.push(
      ...(await Promise.all([
        startDevIssuer(config.DEV_ISSUER_PORT, key),
        startMailCapture(config.MAIL_SMTP_PORT, config.MAIL_HTTP_PORT),
        startWebhookSink(config.WEBHOOK_SINK_PORT, localWebhookMasterKey),
        startTraceCollector(config.TRACE_COLLECTOR_PORT, traceFile),
      ])),
    );
    const [issuer, mail, webhooks] = servers as [RunningServer, RunningServer, RunningServer];
    const orderFrontEnd = await startPublicFrontEnd(config.ORDER_API_PORT, () =>
      [...instancePorts.keys()].filter((name) => ready.has(name)).map(instanceUrl),
    );
    servers.push(orderFrontEnd);
    if (config.LOCAL_PUSH_AUTH === 'production') {
      productionAuth = await startProductionAuth(config, serviceUrl);
      servers.push(productionAuth.frontEnd);
    }
    if (options.pubsubFaultProxyPort) {
      pubsubFaults = await startFaultProxy(
        options.pubsubFaultProxyPort,
        config.PUBSUB_EMULATOR_HOST,
      );
    }

    const pubsub = createPubSub(config);
    const firestore = createFirestore(config);
    const catalog = options.catalog ?? demoCatalog(webhooks.url);
    const pushEndpoint = productionAuth ? productionAuth.frontEnd.pushEndpoint : serviceUrl;
    const provision = () =>
      createTopology(
        pubsub,
        config.GOOGLE_CLOUD_PROJECT,
        topology,
        topology.delivery.local,
        pushEndpoint,
      );
    await Promise.all([provision(), upsertCatalog(firestore, catalog)]);
    await firestore.terminate();
    // The emulator's state starts empty at every start: so do the rows made from it.
    await rm(analyticsFile, { force: true });
    await rm(`${analyticsFile}.wal`, { force: true });
    const database = await AnalyticsDatabase.open(analyticsFile, topology);
    analytics = { database, pubsub, feed: startAnalyticsFeed(pubsub, database, topology, log) };
    const analyticsServer = await startAnalyticsServer(config.ANALYTICS_PORT, database);
    servers.push(analyticsServer);

    await Promise.all((Object.keys(ports) as ServiceName[]).map((s) => startService(s)));
    scheduled = [
      sellerSweep(config, serviceUrl, productionAuth),
      ...subscriberServices(topology).map((service) =>
        reconciler(service, config, serviceUrl, productionAuth),
      ),
    ].map((call) => startScheduledCall(call, log));
    const operatorConsole = await startConsole({
      gcp: config,
      port: config.CONSOLE_PORT,
      webhookSinkUrl: webhooks.url,
      traceFile,
      log: (line) => log('console', line),
    });
    servers.push(operatorConsole);
    return {
      config,
      urls: {
        orderApi: serviceUrl('order'),
        mail: mail.url,
        webhooks: webhooks.url,
        console: operatorConsole.url,
        issuer: issuer.url,
        services: {
          order: serviceUrl('order'),
          notification: serviceUrl('notification'),
          seller: serviceUrl('seller'),
          segmentation: serviceUrl('segmentation'),
        },
        orderInstances: Object.fromEntries(
          [...instancePorts.keys()].map((name) => [name, instanceUrl(name)]),
        ),
      },
      forwardedTo: (instance) => orderFrontEnd.forwarded(instanceUrl(instance)),
      pubsubFaults,
      productionAuth,
      traceFile,
      analyticsUrl: analyticsServer.url,
      stopService,
      startService,
      cpuMs: (instance) => services.get(instance)?.cpuMs(),
      freezeEmulator: (name, frozen) => {
        emulators
          .find((e) => e.name === `${name}-emulator`)
          ?.signal(frozen ? 'SIGSTOP' : 'SIGCONT');
      },
      restartPubSubEmulator: async () => {
        const index = emulators.findIndex((e) => e.name === 'pubsub-emulator');
        if (index < 0) throw new Error('the Pub/Sub emulator is not running');
        await emulators[index]?.stop();
        const restarted = await startEmulator('pubsub', config.PUBSUB_EMULATOR_HOST, root, log);
        emulators.splice(index, 1, restarted);
        await provision();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo catalog, its sellers' webhooks pointed at this run's webhook sink. */
function demoCatalog(sinkUrl: string): Catalog {
  const catalog = parseCatalog(JSON.parse(readFileSync(demoCatalogPath, 'utf8')), 'any');
  return {
    ...catalog,
    sellers: catalog.sellers.map((s) => ({
      ...s,
      webhookUrl: s.webhookUrl?.replace(defaultSinkOrigin, sinkUrl),
    })),
  };
}

/**
 * The seller's sweep, every second as Cloud Scheduler calls it every minute in production.
 */
function sellerSweep(
  config: LocalConfig,
  serviceUrl: (service: ServiceName) => string,
  auth: ProductionAuth | undefined,
): ScheduledCall {
  return {
    ...scheduledCall('seller', partsRetryPath, config, serviceUrl, auth),
    name: 'seller-sweep',
    intervalMs: 1000,
  };
}

/** A subscriber service's reconciler, every 5 s as Cloud Scheduler calls it every minute in production. */
function reconciler(
  service: ServiceName,
  config: LocalConfig,
  serviceUrl: (service: ServiceName) => string,
  auth: ProductionAuth | undefined,
): ScheduledCall {
  return {
    ...scheduledCall(service, reconcilePath, config, serviceUrl, auth),
    name: `${service}-reconciler`,
    intervalMs: 5000,
  };
}

/**
 * A call of Cloud Scheduler to a subscriber service: through the front-end stand-in with the
 * scheduler's token when it runs, else straight to the service.
 */
function scheduledCall(
  service: ServiceName,
  path: string,
  config: LocalConfig,
  serviceUrl: (service: ServiceName) => string,
  auth: ProductionAuth | undefined,
): Pick<ScheduledCall, 'url' | 'token'> {
  const audience = serviceAudience(config.GOOGLE_CLOUD_PROJECT, service);
  return auth
    ? {
        url: `${auth.frontEnd.serviceUrl(service)}${path}`,
        token: () => auth.google.mint(auth.relayIdentity, audience),
      }
    : { url: `${serviceUrl(service)}${path}` };
}
