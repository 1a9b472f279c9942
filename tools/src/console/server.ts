import { createServer } from 'node:http';
import { createFirestore, createLogger, createPubSub, type GcpConfig } from '@orderflow/platform';
import { orderPlacedType } from '@orderflow/events';
import { subscribersOf, topology } from '@orderflow/topology';
import { DeadLetters } from '../shared/dead-letters.js';
import { outboxReport } from '../shared/outbox.js';
import { orderTrace, readSpans } from '../shared/traces.js';
import { listen, type RunningServer } from '../local/http.js';
import { FirestoreOrders } from './adapters/firestore-orders.js';
import { FirestoreSegments } from './adapters/firestore-segments.js';
import { WebhookSinkSwitches } from './adapters/webhook-sink-switches.js';
import { createConsoleApp } from './app.js';

export interface ConsoleOptions {
  gcp: GcpConfig;
  port: number;
  /** The local webhook stand-in, whose switches the console then shows. */
  webhookSinkUrl?: string;
  /** The local span store, whose traces the order pages then show. */
  traceFile?: string;
  log?: (line: string) => void;
}

const pollMs = 2000;
/** Those the order's picture shows: the subscribers of `order.placed`. */
const orderSubscribers = topology.topics
  .filter((t) => t.eventType === orderPlacedType)
  .flatMap((t) => subscribersOf(topology, t.name));
/** Unpublished for longer than this, an entry is stuck: as `npm run outbox -- status` says. */
const stuckAfterMs = 60_000;

/** The console on 127.0.0.1 alone, reading the project with the operator's own credentials. */
export async function startConsole(options: ConsoleOptions): Promise<RunningServer> {
  const { traceFile } = options;
  const firestore = createFirestore(options.gcp);
  const pubsub = createPubSub(options.gcp);
  const app = createConsoleApp({
    port: options.port,
    logger: createLogger(
      { service: 'console' },
      { level: options.gcp.LOG_LEVEL, ...(options.log ? { write: options.log } : {}) },
    ),
    orders: new FirestoreOrders(firestore),
    deadLetters: new DeadLetters(pubsub, firestore),
    outbox: { status: (now) => outboxReport(firestore, { stuckAfterMs, now }) },
    segments: new FirestoreSegments(firestore),
    traces: traceFile
      ? { ofOrder: async (orderId) => orderTrace(await readSpans(traceFile), orderId) }
      : undefined,
    demo: options.webhookSinkUrl
      ? new WebhookSinkSwitches(options.webhookSinkUrl, firestore)
      : undefined,
    subscribers: orderSubscribers,
    allSubscribers: topology.subscribers.map((s) => s.name),
    pollMs,
  });
  const server = await listen(createServer(app), options.port);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await Promise.all([pubsub.close(), firestore.terminate()]);
    },
  };
}
