import { expect } from 'chai';
import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { relayOutbox, type RelaySettings } from '@orderflow/order/relay';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { ManualClock } from '../../support/clock.js';
import { silentLogger } from '../../support/logger.js';
import { RecordingPublisher } from '../../support/publisher.js';

const settings: RelaySettings = { graceMs: 10_000, leaseMs: 30_000, batchSize: 100 };

describe('the outbox relay', () => {
  let store: InMemoryOrderStore;
  let publisher: RecordingPublisher;
  let clock: ManualClock;
  let ids: number;

  beforeEach(() => {
    store = new InMemoryOrderStore();
    store.products.set('mug', aProduct({ id: 'mug', stock: 100 }));
    publisher = new RecordingPublisher();
    clock = new ManualClock();
    ids = 0;
  });

  const relay = () =>
    relayOutbox({ outbox: store, publisher, clock: clock.now, logger: silentLogger() }, settings);

  /** An order whose request died before it published: its event is only in the outbox. */
  const committed = async () => {
    const outcome = await store.placeOrder({
      orderId: `order-${++ids}`,
      eventId: `event-${ids}`,
      customer: aCustomer(),
      items: [{ productId: 'mug', quantity: 1 }],
      now: clock.now(),
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
    });
    if (outcome.kind !== 'placed') expect.fail('not placed');
    return outcome.event;
  };
  const published = () => publisher.published.map((p) => p.event.id);

  it('publishes what the requests left once the grace period has passed, with its trace', async () => {
    const old = await committed();
    clock.advance(settings.graceMs);
    const young = await committed();

    expect(await relay()).to.deep.equal({ published: 1, failed: 0 });
    expect(published()).to.deep.equal([old.id]);
    expect(publisher.published[0]?.origin).to.equal(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    expect(store.outbox.get(old.id)?.publishedAt).to.deep.equal(clock.now());
    expect(store.outbox.get(young.id)?.publishedAt).to.equal(undefined);
  });

  it('publishes an entry once: the next run finds nothing left', async () => {
    await committed();
    clock.advance(settings.graceMs);
    await relay();
    clock.advance(settings.leaseMs);

    expect(await relay()).to.deep.include({ published: 0, failed: 0 });
    expect(published()).to.have.length(1);
  });

  it('leaves an entry it could not publish for a run after its lease', async () => {
    const event = await committed();
    clock.advance(settings.graceMs);
    publisher.failWith = new Error('pubsub unavailable');
    expect(await relay()).to.deep.include({ published: 0, failed: 1 });

    publisher.failWith = undefined;
    expect(await relay()).to.deep.include({ published: 0, failed: 0 });
    clock.advance(settings.leaseMs);
    expect(await relay()).to.deep.include({ published: 1, failed: 0 });
    expect(published()).to.deep.equal([event.id]);
  });
});
