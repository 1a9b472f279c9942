import { gcpConfig, loadConfig, type GcpConfig } from '@orderflow/platform';

/**
 * Where the operator commands act: the running local system by default, or the project
 * named by GOOGLE_CLOUD_PROJECT. A `demo-` project (the emulators' convention) always
 * means the emulators, on their default ports unless *_EMULATOR_HOST says otherwise.
 */
export function target(): GcpConfig {
  const config = loadConfig(
    gcpConfig.extend({
      GOOGLE_CLOUD_PROJECT: gcpConfig.shape.GOOGLE_CLOUD_PROJECT.default('demo-local'),
    }),
  );
  if (!config.GOOGLE_CLOUD_PROJECT.startsWith('demo-')) return config;
  // Not on Google Cloud: the client libraries, loaded after this on first use, would look for a
  // metadata server for credentials the emulators never ask for, and warn on stderr when none
  // answers. What the local system's services are given, set before any client exists.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  return {
    ...config,
    FIRESTORE_EMULATOR_HOST: config.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8086',
    PUBSUB_EMULATOR_HOST: config.PUBSUB_EMULATOR_HOST ?? '127.0.0.1:8085',
  };
}
