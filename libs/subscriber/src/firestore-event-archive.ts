import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { toMessage, type CloudEvent, type EventMessage } from '@orderflow/events';
import { topology, type Topology } from '@orderflow/topology';
import type { Committed, EventArchive } from './reconciler.js';

/** What the reconciler reads of an outbox entry (libs/outbox writes it). */
interface OutboxEntryDoc {
  event: CloudEvent;
  traceparent?: string;
  createdAt: Timestamp;
}

/**
 * The publishers' outboxes, read as the archive of every event committed: `{outbox}/{eventId}`,
 * the outbox the topology names for the event's topic.
 */
export class FirestoreEventArchive implements EventArchive {
  constructor(
    private readonly db: Firestore,
    private readonly events: Topology = topology,
  ) {}

  async committed(
    eventType: string,
    after: Date,
    until: Date,
    limit: number,
  ): Promise<Committed[]> {
    // A publisher's outbox holds every event type it publishes (the order service's: placed,
    // cancelled, shipped…): only this subscriber's type is its to re-drive.
    const snapshot = await this.outbox(eventType)
      .where('event.type', '==', eventType)
      .where('createdAt', '>', after)
      .where('createdAt', '<=', until)
      .orderBy('createdAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => {
      const entry = doc.data() as OutboxEntryDoc;
      return { message: messageOf(entry), committedAt: entry.createdAt.toDate() };
    });
  }

  async byIds(eventType: string, ids: readonly string[]): Promise<EventMessage[]> {
    if (ids.length === 0) return [];
    const outbox = this.outbox(eventType);
    const docs = await this.db.getAll(...ids.map((id) => outbox.doc(id)));
    return docs
      .filter((doc) => doc.exists && (doc.data() as OutboxEntryDoc).event.type === eventType)
      .map((doc) => messageOf(doc.data() as OutboxEntryDoc));
  }

  private outbox(eventType: string) {
    const topic = this.events.topics.find((t) => t.eventType === eventType);
    if (!topic) throw new Error(`no topic carries ${eventType}`);
    return this.db.collection(topic.outbox);
  }
}

const messageOf = (doc: OutboxEntryDoc) => toMessage(doc.event, doc.traceparent);
