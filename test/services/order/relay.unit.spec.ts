import { expect } from 'chai';
import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import {
  defaultRelaySettings,
  PublishTimedOut,
  relayOutbox,
  setAsideLogMessage,
  type EventPublisher,
  type RelaySettings,
} from '@orderflow/outbox';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { ManualClock } from '../../support/clock.js';
import { capturingLogger, silentLogger } from '../../support/logger.js';
import { RecordingPublisher } from '../../support/publisher.js';

const settings: RelaySettings = defaultRelaySettings;
const hour = 60 * 60 * 1000;

/** A failure of the Pub/Sub client, with its gRPC code. */
const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

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

  /** Publishes every event but those it is told to fail, each with its own error. */
  const failingFor = (errors: Map<string, unknown>): EventPublisher => ({
    retriableLater: true,
    publish: async (event, traceparent) => {
      if (errors.has(event.id)) throw errors.get(event.id);
      await publisher.publish(event, traceparent);
    },
  });
  const relayWith = (through: EventPublisher, logger = silentLogger()) =>
    relayOutbox({ outbox: store, publisher: through, clock: clock.now, logger }, settings);

  it('never sets an event aside during an outage: every publish of every pass failing, for longer than the budget', async () => {
    const events = [await committed(), await committed()];
    clock.advance(settings.graceMs);
    // Whatever the error says: when nothing gets through, it is not the entries' fault.
    publisher.failWith = grpcError(3, 'INVALID_ARGUMENT: something');
    for (let t = 0; t <= settings.setAsideAfterMs + hour; t += hour / 4) {
      expect(await relay()).to.deep.include({ published: 0, setAside: 0 });
      clock.advance(hour / 4);
    }

    publisher.failWith = undefined;
    expect(await relay()).to.deep.include({ published: 2, setAside: 0 });
    expect(published()).to.have.members(events.map((e) => e.id));
  });

  for (const [kind, error] of [
    ['UNAVAILABLE', grpcError(14, '14 UNAVAILABLE: connection refused')],
    ['DEADLINE_EXCEEDED', grpcError(4, '4 DEADLINE_EXCEEDED: deadline exceeded')],
    ['a timeout', new PublishTimedOut('publish timed out after 1500 ms')],
  ] as const) {
    it(`never counts ${kind} against an entry, though other entries publish in the same passes`, async () => {
      const unlucky = await committed();
      const errors = new Map<string, unknown>([[unlucky.id, error]]);
      for (let t = 0; t <= settings.setAsideAfterMs + hour; t += hour / 4) {
        await committed();
        clock.advance(settings.graceMs);
        expect(await relayWith(failingFor(errors))).to.deep.include({ published: 1, setAside: 0 });
        clock.advance(hour / 4);
      }

      errors.clear();
      expect(await relay()).to.deep.include({ published: 1, setAside: 0 });
      expect(published()).to.include(unlucky.id);
    });
  }

  it('sets aside an entry whose own failures went on for the budget while others published, and alerts', async () => {
    const poisoned = await committed();
    const errors = new Map<string, unknown>([
      [poisoned.id, grpcError(3, '3 INVALID_ARGUMENT: message too large')],
    ]);
    const firstFailure = new Date(clock.now().getTime() + settings.graceMs);
    const log = capturingLogger();
    const pass = async () => {
      await committed();
      clock.advance(settings.graceMs);
      return relayWith(failingFor(errors), log.logger);
    };

    expect(await pass()).to.deep.include({ published: 1, failed: 1, setAside: 0 });
    clock.advance(settings.setAsideAfterMs - 1 - settings.graceMs);
    expect(await pass()).to.deep.include({ published: 1, failed: 1, setAside: 0 });
    expect(log.lines.filter((l) => l.message === setAsideLogMessage)).to.deep.equal([]);
    clock.advance(1);
    expect(await pass()).to.deep.include({ published: 1, failed: 0, setAside: 1 });

    const [aside] = (await store.status(1)).latestSetAside;
    expect(aside).to.deep.include({ eventId: poisoned.id });
    expect(aside?.reason).to.equal(
      `failing since ${firstFailure.toISOString()}: 3 INVALID_ARGUMENT: message too large`,
    );
    const alerted = log.lines.filter((l) => l.message === setAsideLogMessage);
    expect(alerted.map((l) => [l.severity, l.eventId])).to.deep.equal([['ERROR', poisoned.id]]);
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
