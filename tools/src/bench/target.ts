import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { defaultStoreLimits } from '@orderflow/order/adapters/firestore-order-store';
import { createFirestore, createPubSub, parseConfig } from '@orderflow/platform';
import { orderPlacedType } from '@orderflow/events';
import { planSubscriptions, subscribersOf, topology, type ServiceName } from '@orderflow/topology';
import { upsertCatalog, type Catalog } from '../shared/catalog.js';
import { localConfig, portsFrom, type LocalConfig } from '../local/config.js';
import { bundleServices } from '../local/service-command.js';
import { repoRoot, startLocalSystem, type LocalSystem } from '../local/system.js';
import { deployedSampleRatio } from './deployed.js';
import type { Architecture, SellerBehaviour } from './settings.js';

/**
 * Ports of their own, from `base` on, so the benchmark runs beside `npm start`, the system tests
 * and another benchmark given another base.
 */
export function benchConfig(base: number): LocalConfig {
  return parseConfig(localConfig, {
    ...portsFrom(base),
    GOOGLE_CLOUD_PROJECT: 'demo-bench',
    // Past the order instances the hot-product and tracing comparisons start (base + 88 to 93).
    GOOGLE_FRONT_END_PORT: String(base + 94),
    CONSOLE_PORT: String(base + 87),
    LOG_LEVEL: 'warning',
  });
}

export const benchStateDir = join(repoRoot, '.local', 'bench');
export const benchLogPath = join(benchStateDir, 'system.log');
/** How long a request-response order may wait for its subscribers. */
const requestResponseTimeoutMs = 10_000;

/** The system under load, and the clients the benchmark reads it with. */
export interface BenchTarget {
  config: LocalConfig;
  orderApi: string;
  webhookSink: string;
  db: Firestore;
  pubsub: PubSub;
  /** Everyone who reacts to `order.placed`. */
  subscribers: string[];
  /** Absent for a running system, whose order service is not the benchmark's to restart. */
  architectures?: {
    use(architecture: Architecture): Promise<void>;
    /** Stops the order service, so that its outbox relay stays out of the floor's measurement. */
    pause(): Promise<void>;
    /** A new, empty Pub/Sub emulator with the topology (`LocalSystem.restartPubSubEmulator`). */
    restartPubSub(): Promise<void>;
  };
  /**
   * Starts another order service on its own port, its environment changed by `env` (a variable
   * set to undefined is removed); absent for a running system.
   */
  orderInstance?(name: string, port: number, env: OrderEnv): Promise<OrderInstance>;
  setSellers(behaviour: SellerBehaviour): Promise<void>;
  /**
   * Turns every push subscription into a pull subscription that nobody pulls, so that the
   * subscribers' work stops competing for the machine; `resume` restores their push settings.
   */
  holdDeliveries(): Promise<{ resume(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * The subscribers' deliveries held (`holdDeliveries`) through a measurement that may overload the
 * Pub/Sub emulator, which stays degraded for minutes afterwards (docs/benchmarks.md, saturation):
 * `renew` replaces the emulator and holds the deliveries again; false for a running system, whose
 * emulator is not the benchmark's to replace.
 */
export async function holdDeliveriesRenewably(target: BenchTarget) {
  let held = await target.holdDeliveries();
  return {
    renew: async (): Promise<boolean> => {
      if (!target.architectures) return false;
      await target.architectures.restartPubSub();
      held = await target.holdDeliveries();
      return true;
    },
    resume: () => held.resume(),
  };
}

export type OrderEnv = Record<string, string | undefined>;

export interface OrderInstance {
  url: string;
  /** The CPU time the instance's process has used so far, in ms (Linux only). */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** Starts the whole local system on the benchmark's ports, its log in `.local/bench`. */
export async function startBenchSystem(
  catalog: (sinkUrl: string) => Catalog,
  portBase: number,
): Promise<BenchTarget> {
  mkdirSync(benchStateDir, { recursive: true });
  bundleServices();
  const logFile = createWriteStream(benchLogPath);
  const config = benchConfig(portBase);
  const sinkUrl = `http://127.0.0.1:${config.WEBHOOK_SINK_PORT}`;
  const system = await startLocalSystem({
    config,
    stateDir: join(repoRoot, '.local'),
    // A stopped emulator may still flush its last lines after the log has been closed.
    log: (source, line) => {
      if (!logFile.writableEnded) logFile.write(`[${source}] ${line}\n`);
    },
    catalog: catalog(sinkUrl),
    traceFile: join(benchStateDir, 'traces.ndjson'),
    // Run as the image runs them, from the bundles, not through tsx's loader.
    build: 'bundle',
    // Sampled as deployed: the local system keeps every trace, which costs every service more.
    serviceEnv: asDeployed({ TRACE_SAMPLE_RATIO: String(deployedSampleRatio()) }),
    analyticsFile: join(benchStateDir, 'analytics.duckdb'),
  });
  const target = connect(config, system.urls.orderApi, system.urls.webhooks);
  let running: Architecture | undefined = 'event-driven';
  return {
    ...target,
    architectures: {
      use: async (architecture) => {
        if (running === architecture) return;
        await system.stopService('order');
        await system.startService('order', orderServiceEnv(architecture, system));
        running = architecture;
      },
      pause: async () => {
        await system.stopService('order');
        running = undefined;
      },
      restartPubSub: () => system.restartPubSubEmulator(),
    },
    orderInstance: async (name, port, env) => {
      await system.startService('order', { ...env, PORT: String(port) }, name);
      return {
        url: `http://127.0.0.1:${port}`,
        cpuMs: () => system.cpuMs(name),
        stop: () => system.stopService(name),
      };
    },
    stop: async () => {
      await target.stop();
      await system.stop();
      logFile.end();
    },
  };
}

const asDeployed = (env: Record<string, string>): Record<ServiceName, Record<string, string>> => ({
  order: env,
  notification: env,
  seller: env,
  segmentation: env,
});

/** A system started elsewhere (`npm start`), at the addresses its environment gives. */
export async function runningSystem(
  config: LocalConfig,
  catalog: (sinkUrl: string) => Catalog,
): Promise<BenchTarget> {
  const sinkUrl = `http://127.0.0.1:${config.WEBHOOK_SINK_PORT}`;
  const target = connect(config, `http://127.0.0.1:${config.ORDER_API_PORT}`, sinkUrl);
  await upsertCatalog(target.db, catalog(sinkUrl));
  return target;
}

function connect(config: LocalConfig, orderApi: string, webhookSink: string) {
  const db = createFirestore(config);
  const pubsub = createPubSub(config);
  const topic = topology.topics.find((t) => t.eventType === orderPlacedType);
  if (!topic) throw new Error('the topology has no topic for order.placed');
  return {
    config,
    orderApi,
    webhookSink,
    db,
    pubsub,
    subscribers: subscribersOf(topology, topic.name),
    setSellers: async (behaviour: SellerBehaviour) => {
      const response = await fetch(`${webhookSink}/behaviour`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(behaviour),
      });
      if (!response.ok) throw new Error(`the webhook sink answered ${response.status}`);
      await response.body?.cancel();
    },
    holdDeliveries: async () => {
      const subscriptions = planSubscriptions(topology).map((p) =>
        pubsub.subscription(p.subscription),
      );
      const held = await Promise.all(
        subscriptions.map(async (subscription) => {
          const [metadata] = await subscription.getMetadata();
          await subscription.modifyPushConfig({});
          return { subscription, pushConfig: metadata.pushConfig ?? {} };
        }),
      );
      return {
        resume: async () => {
          await Promise.all(held.map((h) => h.subscription.modifyPushConfig(h.pushConfig)));
        },
      };
    },
    stop: async () => {
      await Promise.all([db.terminate(), pubsub.close()]);
    },
  };
}

/** The order service's environment for an architecture: request-response calls the subscribers' push URLs. */
function orderServiceEnv(architecture: Architecture, system: LocalSystem): Record<string, string> {
  if (architecture === 'event-driven') return {};
  const urls = Object.fromEntries(
    planSubscriptions(topology).map((plan) => [
      plan.subscriber,
      `${system.urls.services[plan.service]}${plan.pushPath}`,
    ]),
  );
  return {
    EVENT_DELIVERY:
      architecture === 'rr-sequential'
        ? 'request-response-sequential'
        : 'request-response-parallel',
    SUBSCRIBER_URLS: JSON.stringify(urls),
    PUBLISH_TIMEOUT_MS: String(requestResponseTimeoutMs),
    // The request's deadline leaves the store its time besides the subscribers' (config.ts's rule).
    REQUEST_TIMEOUT_MS: String(requestResponseTimeoutMs + defaultStoreLimits.timeoutMs),
  };
}
