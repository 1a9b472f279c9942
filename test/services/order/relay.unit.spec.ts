import { expect } from 'chai';
import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import {
  defaultRelaySettings,
  relayOutbox,
  type EventPublisher,
  type RelaySettings,
} from '@orderflow/outbox';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { ManualClock } from '../../support/clock.js';
import { silentLogger } from '../../support/logger.js';
import { RecordingPublisher } from '../../support/publisher.js';

const settings: RelaySettings = { ...defaultRelaySettings, maxFailures: 3 };

describe('the outbox relay', () => {
  let store: InMemoryOrderStore;
  let publisher: RecordingPublisher;
  let clock: ManualClock;
  let ids: number;

  beforeEach(() => {
    store = new InMemoryOrderStore();
    store.products.set('mug', aProduct({ id: 'mug', stock: 1000 }));
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

    expect(await relay()).to.deep.equal({ published: 1, failed: 0, setAside: 0, deferred: 0 });
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

  it('tries an entry it could not publish again in the next pass, without waiting for its lease', async () => {
    const event = await committed();
    clock.advance(settings.graceMs);
    publisher.failWith = new Error('pubsub unavailable');
    expect(await relay()).to.deep.include({ published: 0, failed: 1 });

    publisher.failWith = undefined;
    expect(await relay()).to.deep.include({ published: 1, failed: 0 });
    expect(published()).to.deep.equal([event.id]);
  });

  /** An entry that got into the outbox broken, however it did. */
  const broken = async () => {
    const event = await committed();
    (store.outbox.get(event.id)!.event.data as { lines: unknown[] }).lines = [];
    return event;
  };

  it('sets an invalid entry aside at once and still publishes the newer ones in the same pass', async () => {
    const bad = await broken();
    const good = await committed();
    clock.advance(settings.graceMs);

    expect(await relay()).to.deep.include({ published: 1, setAside: 1 });
    expect(published()).to.deep.equal([good.id]);
    const status = await store.status(10);
    expect(status).to.deep.include({ pending: 0, setAside: 1 });
    expect(status.latestSetAside[0]).to.deep.include({
      eventId: bad.id,
      orderId: bad.data.orderId,
    });
    expect(status.latestSetAside[0]?.reason).to.contain('not a valid order.placed.v1');
  });

  it('is not stopped by a full batch of invalid entries', async () => {
    for (let i = 0; i < settings.batchSize; i++) await broken();
    const good = await committed();
    clock.advance(settings.graceMs);

    await relay();
    await relay();

    expect(published()).to.deep.equal([good.id]);
    expect((await store.status(1)).setAside).to.equal(settings.batchSize);
  });

  it(`sets aside an entry whose publish failed in ${settings.maxFailures} passes`, async () => {
    const event = await committed();
    clock.advance(settings.graceMs);
    publisher.failWith = new Error('message too large');
    const reports = [];
    for (let i = 0; i < settings.maxFailures; i++) reports.push(await relay());

    expect(reports.map((r) => r.setAside)).to.deep.equal([0, 0, 1]);
    const [aside] = (await store.status(1)).latestSetAside;
    expect(aside).to.deep.include({ eventId: event.id });
    expect(aside?.reason).to.equal('3 publishes failed: message too large');
  });

  it('drains an outage-sized outbox in one pass, batch after batch', async () => {
    const events = [];
    for (let i = 0; i < 2.5 * settings.batchSize; i++) events.push(await committed());
    clock.advance(settings.graceMs);

    expect(await relay()).to.deep.equal({
      published: events.length,
      failed: 0,
      setAside: 0,
      deferred: 0,
    });
    expect(published()).to.have.members(events.map((e) => e.id));
  });

  it(`publishes ${settings.concurrency} at a time`, async () => {
    for (let i = 0; i < 3 * settings.concurrency; i++) await committed();
    clock.advance(settings.graceMs);
    let inFlight = 0;
    let most = 0;
    const gauged: EventPublisher = {
      retriableLater: true,
      publish: async (event, traceparent) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        await publisher.publish(event, traceparent);
      },
    };

    await relayOutbox(
      { outbox: store, publisher: gauged, clock: clock.now, logger: silentLogger() },
      settings,
    );

    expect(most).to.equal(settings.concurrency);
    expect(published()).to.have.length(3 * settings.concurrency);
  });

  it('tries an entry once a pass: what failed waits for the next, and the pass goes on', async () => {
    for (let i = 0; i < 2 * settings.batchSize; i++) await committed();
    clock.advance(settings.graceMs);
    const tried = new Map<string, number>();
    const flaky: EventPublisher = {
      retriableLater: true,
      publish: async (event, traceparent) => {
        tried.set(event.id, (tried.get(event.id) ?? 0) + 1);
        if (tried.size % 2 === 0) throw new Error('pubsub unavailable');
        await publisher.publish(event, traceparent);
      },
    };
    const flakyRelay = () =>
      relayOutbox(
        { outbox: store, publisher: flaky, clock: clock.now, logger: silentLogger() },
        settings,
      );

    expect(await flakyRelay()).to.deep.include({
      published: settings.batchSize,
      failed: settings.batchSize,
    });
    expect(Math.max(...tried.values())).to.equal(1);
    expect(await relay()).to.deep.include({ published: settings.batchSize, failed: 0 });
  });

  it('ends the pass after a batch in which every publish failed: Pub/Sub is still down', async () => {
    for (let i = 0; i < 2 * settings.batchSize; i++) await committed();
    clock.advance(settings.graceMs);
    publisher.failWith = new Error('pubsub unavailable');

    expect(await relay()).to.deep.include({ published: 0, failed: settings.batchSize });
  });

  it('stops publishing when its time is up, and leaves what is left to the next pass', async () => {
    for (let i = 0; i < 5; i++) await committed();
    clock.advance(settings.graceMs);
    const slow: EventPublisher = {
      retriableLater: true,
      publish: async (event, traceparent) => {
        clock.advance(settings.passMs / 2);
        await publisher.publish(event, traceparent);
      },
    };

    const report = await relayOutbox(
      { outbox: store, publisher: slow, clock: clock.now, logger: silentLogger() },
      settings,
    );

    expect(report).to.deep.include({ published: 2, deferred: 3 });
    expect(await relay()).to.deep.include({ published: 3, deferred: 0 });
  });
});
