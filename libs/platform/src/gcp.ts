import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import type { GcpConfig } from './config.js';

/** Clients for Google Cloud, or for the local emulators when the config names them. */
export function createFirestore(config: GcpConfig): Firestore {
  const emulator = config.FIRESTORE_EMULATOR_HOST;
  return new Firestore({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    ignoreUndefinedProperties: true,
    ...(emulator ? { host: emulator, ssl: false } : {}),
  });
}

export function createPubSub(config: GcpConfig): PubSub {
  const emulator = config.PUBSUB_EMULATOR_HOST;
  return new PubSub({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    ...(emulator ? { apiEndpoint: emulator, emulatorMode: true } : {}),
  });
}
