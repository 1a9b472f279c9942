import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { Express } from 'express';
import { topology, type ServiceName } from '@orderflow/topology';
import {
  callerAuthSetting,
  createLogger,
  googleClients,
  serve,
  verifyGoogleOidc,
  type Logger,
} from '@orderflow/platform';
import type { SubscriberDeps } from './app.js';
import type { SubscriberConfig } from './config.js';
import { PubSubDeadLetterSink } from './dead-letter-sink.js';
import { FirestoreEventArchive } from './firestore-event-archive.js';
import { FirestoreDeliveryLedger } from './firestore-ledger.js';
import { FirestoreOrderStreams } from './firestore-order-streams.js';
import { PubSubReplayPublisher } from './pubsub-replay-publisher.js';

export interface SubscriberRuntime {
  deps: SubscriberDeps;
  firestore: Firestore;
  /** For a subscriber that publishes events of its own. */
  pubsub: PubSub;
  logger: Logger;
  /** Serves the app until SIGTERM, then releases Firestore and whatever `onClose` names. */
  serve(app: Express, onClose?: () => Promise<void>): Promise<void>;
}

/** The real dependencies every subscriber's `main.ts` starts from. */
export function subscriberRuntime(
  service: ServiceName,
  config: SubscriberConfig,
): SubscriberRuntime {
  const logger = createLogger(
    { service },
    { level: config.LOG_LEVEL, projectId: config.GOOGLE_CLOUD_PROJECT },
  );
  // Loaded by the first push that needs them: /healthz answers before.
  const clients = googleClients(config);
  const { firestore, pubsub } = clients;
  return {
    pubsub,
    firestore,
    logger,
    deps: {
      ledger: new FirestoreDeliveryLedger(firestore),
      streams: new FirestoreOrderStreams(firestore),
      deadLetters: new PubSubDeadLetterSink(pubsub, topology),
      logger,
      clock: () => new Date(),
      projectId: config.GOOGLE_CLOUD_PROJECT,
      maxDeliveryAttempts: config.MAX_DELIVERY_ATTEMPTS,
      leaseMs: config.DELIVERY_LEASE_MS,
      pushAuth: config.PUSH_AUTH && verifyGoogleOidc(config.PUSH_AUTH),
      reconciler: {
        events: new FirestoreEventArchive(firestore),
        replays: new PubSubReplayPublisher(pubsub, topology),
        policy: {
          olderThanMs: config.RECONCILE_OLDER_THAN_MS,
          lookbackMs: config.RECONCILE_LOOKBACK_MS,
        },
        auth: config.RECONCILE_AUTH && verifyGoogleOidc(config.RECONCILE_AUTH),
      },
    },
    serve: async (app, onClose) => {
      await serve(app, {
        port: config.PORT,
        logger,
        security: { pushAuth: callerAuthSetting(config.PUSH_AUTH) },
        onClose: async () => {
          await Promise.all([clients.close(), onClose?.()]);
        },
      });
    },
  };
}
