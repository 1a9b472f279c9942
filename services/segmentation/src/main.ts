import {
  relaySettingsOf,
  PublishBreaker,
  PubSubPublisher,
  relayConfig,
  startRelayLoop,
} from '@orderflow/outbox';
import { loadConfig, verifyGoogleOidc } from '@orderflow/platform';
import { subscriberConfig, subscriberRuntime } from '@orderflow/subscriber';
import { topology } from '@orderflow/topology';
import * as z from 'zod';
import { FirestoreSegmentStore } from './adapters/firestore-segment-store.js';
import { createApp } from './app.js';

const config = loadConfig(
  z.intersection(
    subscriberConfig({
      PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
    }),
    // A private service, like every subscriber: Cloud Run checks the scheduler's identity.
    relayConfig(['cloud-run', 'oidc']),
  ),
);
const runtime = subscriberRuntime('segmentation', config);
const segments = new FirestoreSegmentStore(runtime.firestore);
const deps = {
  ...runtime.deps,
  segments,
  outbox: segments.outbox,
  publisher: new PubSubPublisher(runtime.pubsub, topology, {
    timeoutMs: config.PUBLISH_TIMEOUT_MS,
  }),
  // Deliveries stop waiting for Pub/Sub while it keeps failing; the relay publishes meanwhile.
  publishBreaker: new PublishBreaker(runtime.deps.logger),
  relay: relaySettingsOf(config),
  relayAuth: config.RELAY_AUTH && verifyGoogleOidc(config.RELAY_AUTH),
};
const relayTimer =
  config.RELAY_INTERVAL_MS && startRelayLoop(deps, deps.relay, config.RELAY_INTERVAL_MS);
await runtime.serve(createApp(deps), () => {
  if (relayTimer) clearInterval(relayTimer);
  deps.publishBreaker.shutdown();
  return Promise.resolve();
});
