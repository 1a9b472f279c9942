import { loadConfig } from '@orderflow/platform';
import { subscriberConfig, subscriberRuntime } from '@orderflow/subscriber';
import { FirestoreSegmentStore } from './adapters/firestore-segment-store.js';
import { createApp } from './app.js';

const config = loadConfig(subscriberConfig({}));
const runtime = subscriberRuntime('segmentation', config);
await runtime.serve(
  createApp({ ...runtime.deps, segments: new FirestoreSegmentStore(runtime.firestore) }),
);
