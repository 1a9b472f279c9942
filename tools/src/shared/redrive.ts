import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { createLogger } from '@orderflow/platform';
import {
  FirestoreDeliveryLedger,
  FirestoreEventArchive,
  PubSubReplayPublisher,
  reconcile,
  type ReconcileReport,
} from '@orderflow/subscriber';
import { topology } from '@orderflow/topology';

/** How far back an operator's re-drive looks: as long as the outboxes keep published events. */
const lookbackMs = 7 * 24 * 60 * 60 * 1000;

/**
 * What the scheduled reconciler does, on demand (`dlq redrive`): every delivery of one
 * subscriber, or of all, that is still unfinished or was never received, older than
 * `olderThanMs`, sent again through its replay topic under the same ledger.
 */
export async function redrive(options: {
  firestore: Firestore;
  pubsub: PubSub;
  subscriber?: string | undefined;
  olderThanMs: number;
}): Promise<ReconcileReport> {
  const { firestore, pubsub } = options;
  const subscribers = topology.subscribers
    .filter((s) => options.subscriber === undefined || s.name === options.subscriber)
    .map((s) => ({
      subscriber: s.name,
      eventType: topology.topics.find((t) => t.name === s.topic)?.eventType ?? '',
    }));
  const deps = {
    ledger: new FirestoreDeliveryLedger(firestore),
    events: new FirestoreEventArchive(firestore),
    replays: new PubSubReplayPublisher(pubsub, topology),
    clock: () => new Date(),
    logger: createLogger(
      { service: 'dlq' },
      { level: 'error', write: (line) => process.stderr.write(`${line}\n`) },
    ),
  };
  return reconcile(deps, subscribers, { olderThanMs: options.olderThanMs, lookbackMs });
}
