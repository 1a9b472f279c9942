import { expect } from 'chai';
import type { CloudEvent } from '@orderflow/events';
import { FirestoreOutbox } from '@orderflow/outbox';
import { FirestoreEventArchive } from '@orderflow/subscriber/firestore-event-archive';
import { topology, type Topology } from '@orderflow/topology';
import { firestore } from '../../system/support/clients.js';
import { anOrderCancelledEvent, anOrderPlacedEvent } from '../../support/events.js';

/**
 * The reconciler's view of a publisher's outbox, which holds every event type that publisher
 * commits: a subscriber of one type is handed only that type, never another's events to re-drive.
 */
describe('FirestoreEventArchive, on the Firestore emulator', () => {
  const collection = `archive-${Date.now()}`;
  const placed = anOrderPlacedEvent();
  const cancelled = anOrderCancelledEvent(placed);
  const events: Topology = {
    ...topology,
    topics: topology.topics.map((t) =>
      t.publisher === 'order' ? { ...t, outbox: collection } : t,
    ),
  };
  const archive = () => new FirestoreEventArchive(firestore(), events);
  const idsOf = (messages: { attributes: Record<string, string> }[]) =>
    messages.map((m) => m.attributes['ce-id']);

  before(async () => {
    const outbox = new FirestoreOutbox(firestore(), collection);
    const batch = firestore().batch();
    const add = (event: CloudEvent, at: string) =>
      outbox.add(batch, { event, createdAt: new Date(at) });
    add(placed, '2025-03-01T10:00:00Z');
    add(cancelled, '2025-03-01T11:00:00Z');
    await batch.commit();
  });
  after(() => firestore().recursiveDelete(firestore().collection(collection)));

  it('hands out only the events of the type asked for, committed in the window', async () => {
    const window = [new Date('2025-03-01T09:00:00Z'), new Date('2025-03-01T12:00:00Z')] as const;
    const placedOnes = await archive().committed(placed.type, ...window, 10);
    const cancelledOnes = await archive().committed(cancelled.type, ...window, 10);
    expect(idsOf(placedOnes.map((c) => c.message))).to.deep.equal([placed.id]);
    expect(idsOf(cancelledOnes.map((c) => c.message))).to.deep.equal([cancelled.id]);
  });

  it('finds an event by id only under its own type', async () => {
    expect(idsOf(await archive().byIds(cancelled.type, [placed.id, cancelled.id]))).to.deep.equal([
      cancelled.id,
    ]);
  });
});
