import { randomUUID } from 'node:crypto';
import {
  createFirestore,
  createLogger,
  createPubSub,
  loadConfig,
  serve,
} from '@orderflow/platform';
import { subscribersOf, topology } from '@orderflow/topology';
import { FirestoreOrderStore } from './adapters/firestore-order-store.js';
import { JwksAuthenticator } from './adapters/jwks-authenticator.js';
import { PubSubPublisher } from './adapters/pubsub-publisher.js';
import { createApp } from './app.js';
import { orderConfig } from './config.js';

const config = loadConfig(orderConfig);
const logger = createLogger({ service: 'order' }, { level: config.LOG_LEVEL });
const firestore = createFirestore(config);
const pubsub = createPubSub(config);
const topic = topology.topics.find((t) => t.publisher === 'order');
if (!topic) throw new Error('the topology has no topic for the order service');

const app = createApp({
  store: new FirestoreOrderStore(firestore),
  publisher: new PubSubPublisher(pubsub, topology, { timeoutMs: config.PUBLISH_TIMEOUT_MS }),
  authenticator: new JwksAuthenticator({
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    keys: new URL(config.AUTH_JWKS_URL),
  }),
  clock: () => new Date(),
  newId: randomUUID,
  idempotencyStaleAfterMs: config.IDEMPOTENCY_STALE_AFTER_MS,
  logger,
  projectId: config.GOOGLE_CLOUD_PROJECT,
  subscribers: subscribersOf(topology, topic.name),
});

await serve(app, {
  port: config.PORT,
  logger,
  onClose: async () => {
    await Promise.all([pubsub.close(), firestore.terminate()]);
  },
});
