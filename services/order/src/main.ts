import { randomUUID } from 'node:crypto';
import {
  BearerTokenVerifier,
  callerAuthSetting,
  createLogger,
  googleClients,
  JwksSellerAuthenticator,
  loadConfig,
  serve,
  verifyGoogleOidc,
} from '@orderflow/platform';
import {
  relaySettingsOf,
  FirestoreOutbox,
  PublishBreaker,
  PubSubPublisher,
  startRelayLoop,
} from '@orderflow/outbox';
import { planSubscriptions, subscribersOf, topology } from '@orderflow/topology';
import { orderPlacedType } from '@orderflow/events';
import { FirestoreOrderStore } from './adapters/firestore-order-store.js';
import { FirestoreOrderTransitions } from './adapters/firestore-order-transitions.js';
import { JwksAuthenticator } from './adapters/jwks-authenticator.js';
import {
  RequestResponsePublisher,
  subscriberEndpoints,
} from './adapters/request-response-publisher.js';
import { createApp } from './app.js';
import { orderConfig } from './config.js';

const config = loadConfig(orderConfig);
const logger = createLogger(
  { service: 'order' },
  { level: config.LOG_LEVEL, projectId: config.GOOGLE_CLOUD_PROJECT },
);
// Loaded by the first request that needs them: /healthz answers before.
const clients = googleClients(config);
const { firestore, pubsub } = clients;
const topic = topology.topics.find((t) => t.eventType === orderPlacedType);
if (!topic) throw new Error('the topology has no topic for order.placed');

const publisher =
  config.EVENT_DELIVERY === 'pubsub'
    ? new PubSubPublisher(pubsub, topology, { timeoutMs: config.PUBLISH_TIMEOUT_MS })
    : new RequestResponsePublisher({
        mode: config.EVENT_DELIVERY === 'request-response-sequential' ? 'sequential' : 'parallel',
        timeoutMs: config.PUBLISH_TIMEOUT_MS,
        subscribers: subscriberEndpoints(
          planSubscriptions(topology).filter((plan) => plan.topic === topic.name),
          config.GOOGLE_CLOUD_PROJECT,
          config.SUBSCRIBER_URLS ?? {},
        ),
      });

const storeLimits = {
  timeoutMs: config.STORE_TIMEOUT_MS,
  maxAttempts: config.ORDER_MAX_ATTEMPTS,
  commits: config.ORDER_COMMITS,
};
const tokens = {
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
  algorithms: config.AUTH_ALGORITHMS,
  keys: new URL(config.AUTH_JWKS_URL),
};
const deps = {
  store: new FirestoreOrderStore(firestore, storeLimits),
  transitions: new FirestoreOrderTransitions(firestore, storeLimits),
  outbox: new FirestoreOutbox(firestore),
  publisher,
  // Requests stop waiting for Pub/Sub while it keeps failing; the relay publishes meanwhile.
  publishBreaker: publisher.retriableLater ? new PublishBreaker(logger) : undefined,
  authenticator: new JwksAuthenticator(tokens),
  sellerAuthenticator: new JwksSellerAuthenticator(new BearerTokenVerifier(tokens)),
  clock: () => new Date(),
  newId: randomUUID,
  logger,
  projectId: config.GOOGLE_CLOUD_PROJECT,
  subscribers: subscribersOf(topology, topic.name),
  relay: relaySettingsOf(config),
  relayAuth: config.RELAY_AUTH && verifyGoogleOidc(config.RELAY_AUTH),
  browser: { corsOrigins: config.CORS_ORIGINS, hsts: config.HSTS === 'on' },
  rateLimits: {
    customer: { perSecond: config.ORDER_RATE_PER_SECOND, burst: config.ORDER_RATE_BURST },
    address: { perSecond: config.ADDRESS_RATE_PER_SECOND, burst: config.ADDRESS_RATE_BURST },
  },
  trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  timeouts: { requestMs: config.REQUEST_TIMEOUT_MS, publishMs: config.PUBLISH_TIMEOUT_MS },
};

// Request-response delivery is never retried later: nothing for a relay to do.
const relayTimer =
  config.RELAY_INTERVAL_MS &&
  publisher.retriableLater &&
  startRelayLoop(deps, deps.relay, config.RELAY_INTERVAL_MS);

await serve(createApp(deps), {
  port: config.PORT,
  logger,
  security: {
    tokens: {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwks: config.AUTH_JWKS_URL,
      algorithms: config.AUTH_ALGORITHMS,
    },
    relayAuth: callerAuthSetting(config.RELAY_AUTH),
    rateLimits: deps.rateLimits,
    trustedProxyHops: deps.trustedProxyHops,
  },
  onClose: async () => {
    if (relayTimer) clearInterval(relayTimer);
    deps.publishBreaker?.shutdown();
    await clients.close();
  },
});
