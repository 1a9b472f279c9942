import type { Firestore } from '@google-cloud/firestore';
import { FirestoreOutbox } from '@orderflow/outbox';
import type { PendingEntry, SetAsideEntry } from '@orderflow/outbox';

export interface StuckEntry extends PendingEntry {
  ageSeconds: number;
}

export interface OutboxReport {
  pending: number;
  published: number;
  /** Unpublished for longer than the threshold: the relay is not keeping up. */
  stuck: StuckEntry[];
  /** Entries the relay could not publish and moved aside: they need an operator. */
  setAside: number;
  latestSetAside: SetAsideEntry[];
}

/** The outbox as the `outbox status` command and the console show it. */
export async function outboxReport(
  firestore: Firestore,
  options: { stuckAfterMs: number; now?: Date; limit?: number },
): Promise<OutboxReport> {
  const status = await new FirestoreOutbox(firestore).status(options.limit ?? 20);
  const now = (options.now ?? new Date()).getTime();
  const stuck = status.oldestPending
    .filter((e) => now - e.createdAt.getTime() > options.stuckAfterMs)
    .map((e) => ({ ...e, ageSeconds: Math.round((now - e.createdAt.getTime()) / 1000) }));
  const { pending, published, setAside, latestSetAside } = status;
  return { pending, published, stuck, setAside, latestSetAside };
}
