import { expect } from 'chai';
import { orderPlacedType, toMessage, type CloudEvent, type EventMessage } from '@orderflow/events';
import {
  InMemoryDeliveryLedger,
  reconcile,
  replayAttribute,
  type Committed,
  type DeliveryContext,
  type EventArchive,
} from '@orderflow/subscriber';
import { ManualClock } from '../../support/clock.js';
import { anOrderPlacedEvent } from '../../support/events.js';
import { silentLogger } from '../../support/logger.js';

const policy = { olderThanMs: 30_000, lookbackMs: 600_000 };
const leaseMs = 60_000;
const subscribers = [{ subscriber: 'seller', eventType: orderPlacedType }];

/** The outbox as the reconciler reads it: what was committed, and when. */
class InMemoryArchive implements EventArchive {
  readonly entries: Committed[] = [];

  committed(_type: string, after: Date, until: Date, limit: number): Promise<Committed[]> {
    const within = this.entries.filter((e) => e.committedAt > after && e.committedAt <= until);
    return Promise.resolve(within.slice(0, limit));
  }

  byIds(_type: string, ids: readonly string[]): Promise<EventMessage[]> {
    const found = this.entries.filter((e) => ids.includes(e.message.attributes['ce-id'] ?? ''));
    return Promise.resolve(found.map((e) => e.message));
  }
}

describe('the reconciler', () => {
  let ledger: InMemoryDeliveryLedger;
  let archive: InMemoryArchive;
  let clock: ManualClock;
  let published: EventMessage[];
  const pass = () =>
    reconcile(
      {
        ledger,
        events: archive,
        replays: {
          publish: (_subscriber, message) => {
            published.push(message);
            return Promise.resolve();
          },
        },
        clock: clock.now,
        logger: silentLogger(),
      },
      subscribers,
      policy,
    );
  const contextOf = (event: CloudEvent): DeliveryContext => ({
    subscriber: 'seller',
    eventId: event.id,
    orderId: event.data.orderId,
    eventType: event.type,
  });
  function committed(): CloudEvent {
    const event = anOrderPlacedEvent();
    archive.entries.push({ message: toMessage(event), committedAt: clock.now() });
    return event;
  }

  beforeEach(() => {
    ledger = new InMemoryDeliveryLedger();
    archive = new InMemoryArchive();
    clock = new ManualClock();
    published = [];
  });

  it('sends again, past its bound, what never arrived and what was left unfinished: nothing else', async () => {
    const handled = committed();
    const neverArrived = committed();
    const failed = committed();
    const running = committed();
    await ledger.begin(contextOf(handled), clock.now(), leaseMs);
    await ledger.complete(contextOf(handled), clock.now(), 1);
    await ledger.begin(contextOf(failed), clock.now(), leaseMs);
    await ledger.fail(contextOf(failed), clock.now(), { error: 'HTTP 503', attempt: 1 });

    clock.advance(policy.olderThanMs - 1);
    expect(await pass()).to.deep.equal({ unrecorded: 0, stalled: 0, lost: 0 });
    await ledger.begin(contextOf(running), clock.now(), leaseMs);
    clock.advance(1);

    expect(await pass()).to.deep.equal({ unrecorded: 1, stalled: 1, lost: 0 });

    expect(published.map((m) => m.attributes['ce-id'])).to.have.members([
      neverArrived.id,
      failed.id,
    ]);
    for (const message of published) {
      const entry = ledger.entries.get(`seller_${message.attributes['ce-id']}`);
      expect(entry).to.include({ state: 'replaying', replay: message.attributes[replayAttribute] });
    }
    // Sent once: the next pass finds them waiting for their replay, not yet past the bound again.
    expect(await pass()).to.deep.equal({ unrecorded: 0, stalled: 0, lost: 0 });
  });

  it('runs the effect once when the re-driven message and a late push both arrive', async () => {
    const event = committed();
    clock.advance(policy.olderThanMs);
    await pass();

    // The late push of Pub/Sub and the replay: one begins, the other is refused while it runs.
    expect(await ledger.begin(contextOf(event), clock.now(), leaseMs)).to.include({
      status: 'acquired',
    });
    expect(await ledger.begin(contextOf(event), clock.now(), leaseMs)).to.deep.equal({
      status: 'busy',
    });
  });

  it('reports an unfinished delivery whose event has left its outbox', async () => {
    const event = committed();
    await ledger.begin(contextOf(event), clock.now(), leaseMs);
    await ledger.fail(contextOf(event), clock.now(), { error: 'HTTP 503', attempt: 1 });
    archive.entries.length = 0;
    clock.advance(policy.olderThanMs);

    expect(await pass()).to.deep.equal({ unrecorded: 0, stalled: 0, lost: 1 });
    expect(published).to.deep.equal([]);
  });
});
