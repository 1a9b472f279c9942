import {
  relaySettingsOf,
  PublishBreaker,
  PubSubPublisher,
  startRelayLoop,
} from '@orderflow/outbox';
import { loadConfig, verifyGoogleOidc } from '@orderflow/platform';
import { subscriberRuntime } from '@orderflow/subscriber';
import { topology } from '@orderflow/topology';
import { FirestoreSegmentStore } from './adapters/firestore-segment-store.js';
import { createApp } from './app.js';
import { segmentationConfig } from './config.js';

const config = loadConfig(segmentationConfig);
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
