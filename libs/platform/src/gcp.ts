import { createRequire } from 'node:module';
import type * as FirestoreLibrary from '@google-cloud/firestore';
import type { Firestore } from '@google-cloud/firestore';
import type * as PubSubLibrary from '@google-cloud/pubsub';
import type { PubSub } from '@google-cloud/pubsub';
import type { GcpConfig } from './config.js';
import { onFirstUse } from './on-first-use.js';

// Both libraries are CommonJS: required when first needed, not imported with the service.
const require = createRequire(import.meta.url);

/**
 * Google's client libraries, loaded on first call. With google-gax, gRPC and their protos they
 * take about half a second to load, which a start need not wait for: `/healthz` answers without
 * them. Other modules import only their types, and take values (`FieldValue`) from here. Each is
 * kept once required: a `require` of a loaded module still resolves its name every time (60-90 µs
 * here, twice that under the instrumentations' require hook), and `fieldValue()` comes with every
 * ledger write.
 */
let firestoreModule: typeof FirestoreLibrary | undefined;
export const firestoreLibrary = (): typeof FirestoreLibrary =>
  (firestoreModule ??= require('@google-cloud/firestore') as typeof FirestoreLibrary);

let pubsubModule: typeof PubSubLibrary | undefined;
export const pubsubLibrary = (): typeof PubSubLibrary =>
  (pubsubModule ??= require('@google-cloud/pubsub') as typeof PubSubLibrary);

/** Firestore's sentinels (`delete()`, `increment(n)`), from the library once loaded. */
export const fieldValue = () => firestoreLibrary().FieldValue;

/** Clients for Google Cloud, or for the local emulators when the config names them. */
export function createFirestore(config: GcpConfig): Firestore {
  const emulator = config.FIRESTORE_EMULATOR_HOST;
  return new (firestoreLibrary().Firestore)({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    ignoreUndefinedProperties: true,
    ...(emulator ? { host: emulator, ssl: false } : {}),
  });
}

export function createPubSub(config: GcpConfig): PubSub {
  const emulator = config.PUBSUB_EMULATOR_HOST;
  return new (pubsubLibrary().PubSub)({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    ...(emulator ? { apiEndpoint: emulator, emulatorMode: true } : {}),
  });
}

/** A service's clients, each loaded and built when a request first uses it. */
export interface GoogleClients {
  firestore: Firestore;
  pubsub: PubSub;
  /** Releases the clients that were used; one never used is not loaded to be closed. */
  close(): Promise<void>;
}

export function googleClients(config: GcpConfig): GoogleClients {
  const firestore = onFirstUse(() => createFirestore(config));
  const pubsub = onFirstUse(() => createPubSub(config));
  return {
    firestore: firestore.value,
    pubsub: pubsub.value,
    close: async () => {
      await Promise.all([firestore.created()?.terminate(), pubsub.created()?.close()]);
    },
  };
}
