import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Product } from '@orderflow/order/domain/order';
import type { OrderStore } from '@orderflow/order/ports';
import type { Outbox } from '@orderflow/outbox';
import { aCustomer, aProduct } from '../../../support/catalog.js';

export interface OutboxUnderTest {
  outbox: Outbox;
  /** Where the entries come from: the order's own transaction writes them. */
  store: OrderStore;
  addProduct(product: Product): Promise<void>;
}

const leaseMs = 30_000;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** What every outbox guarantees the relay, run against each implementation (each test a fresh one). */
export function behavesAsAnOutbox(make: () => Promise<OutboxUnderTest>): void {
  let outbox: Outbox;
  let place: (ms: number) => Promise<string>;

  beforeEach(async () => {
    const subject = await make();
    outbox = subject.outbox;
    const product = aProduct({ stock: 100 });
    await subject.addProduct(product);
    place = async (ms) => {
      const outcome = await subject.store.placeOrder({
        orderId: randomUUID(),
        eventId: randomUUID(),
        customer: aCustomer(),
        items: [{ productId: product.id, quantity: 1 }],
        now: at(ms),
      });
      if (outcome.kind !== 'placed') expect.fail('a new order was not placed');
      return outcome.event.id;
    };
  });

  const ids = (entries: { event: { id: string } }[]) => entries.map((e) => e.event.id);

  it('hands out unpublished entries created up to `before`, oldest first, at most `limit`', async () => {
    const [first, second, third] = [await place(0), await place(10), await place(20)];
    await place(5_000);

    expect(ids(await outbox.claimUnpublished(at(20), at(10_000), leaseMs, 2))).to.deep.equal([
      first,
      second,
    ]);
    expect(ids(await outbox.claimUnpublished(at(20), at(10_000), leaseMs, 10))).to.deep.equal([
      third,
    ]);
  });

  it('keeps a claimed entry from every other claim until its lease ends', async () => {
    const event = await place(0);
    const now = 10_000;
    expect(ids(await outbox.claimUnpublished(at(now), at(now), leaseMs, 10))).to.deep.equal([
      event,
    ]);

    expect(
      await outbox.claimUnpublished(at(now), at(now + leaseMs - 1), leaseMs, 10),
    ).to.deep.equal([]);
    expect(
      ids(await outbox.claimUnpublished(at(now), at(now + leaseMs), leaseMs, 10)),
    ).to.deep.equal([event]);
  });

  it('hands out `limit` entries past the leased ones at the head of the order', async () => {
    const events = [];
    for (let ms = 0; ms < 5; ms++) events.push(await place(ms));
    const now = 10_000;
    // What a pass claimed and failed to publish stays leased, oldest first, until the pass ends.
    await outbox.claimUnpublished(at(now), at(now), leaseMs, 2);

    expect(ids(await outbox.claimUnpublished(at(now), at(now), leaseMs, 2))).to.deep.equal(
      events.slice(2, 4),
    );
    expect(ids(await outbox.claimUnpublished(at(now), at(now), leaseMs, 2))).to.deep.equal(
      events.slice(4),
    );
  });

  it('ends the leases of released entries, and passes over one set aside meanwhile', async () => {
    const released = await place(0);
    await place(1); // claimed with it, not released
    const aside = await place(2);
    const now = 10_000;
    await outbox.claimUnpublished(at(now), at(now), leaseMs, 10);
    await outbox.setAside(aside, 'invalid event', at(now));

    await outbox.release([released, aside]);

    expect(ids(await outbox.claimUnpublished(at(now), at(now), leaseMs, 10))).to.deep.equal([
      released,
    ]);
    expect(await outbox.status(5)).to.deep.include({ pending: 2, setAside: 1 });
  });

  it('gives two relays claiming at once different entries', async () => {
    const events = [await place(0), await place(1), await place(2), await place(3)];

    const [a, b] = await Promise.all([
      outbox.claimUnpublished(at(100), at(100), leaseMs, 10),
      outbox.claimUnpublished(at(100), at(100), leaseMs, 10),
    ]);

    expect([...ids(a), ...ids(b)]).to.have.members(events);
  });

  it('never hands out a published entry, and counts both kinds', async () => {
    const [published, pending] = [await place(0), await place(10)];
    await outbox.markPublished(published, at(20));

    expect(ids(await outbox.claimUnpublished(at(100), at(100), leaseMs, 10))).to.deep.equal([
      pending,
    ]);
    const status = await outbox.status(5);
    expect(status).to.deep.include({ pending: 1, published: 1 });
    expect(status.oldestPending.map((e) => e.eventId)).to.deep.equal([pending]);
    expect(status.oldestPending[0]?.createdAt).to.deep.equal(at(10));
  });

  it("dates an entry's failures from its first own one; an outage's neither start nor end them", async () => {
    const event = await place(0);
    const fail = (ms: number, own: boolean) =>
      outbox.recordFailure(event, { error: `failure at ${ms}`, at: at(ms), own });

    expect(await fail(10, false)).to.equal(undefined);
    expect(await fail(20, true)).to.deep.equal(at(20));
    expect(await fail(30, false)).to.deep.equal(at(20));
    expect(await fail(40, true)).to.deep.equal(at(20));
    const [pending] = (await outbox.status(1)).oldestPending;
    expect(pending?.lastError).to.equal('failure at 40');
  });

  it('requeues entries set aside, by id or all: handed out again in their place, their failures forgotten', async () => {
    const [first, second, third] = [await place(0), await place(10), await place(20)];
    await outbox.recordFailure(first, { error: 'HTTP 400', at: at(30), own: true });
    for (const id of [first, second]) await outbox.setAside(id, 'kept failing', at(40));

    expect(await outbox.requeue([first, third, 'no-such-event'])).to.deep.equal([first]);
    expect(await outbox.status(5)).to.deep.include({ pending: 2, setAside: 1 });
    expect(await outbox.requeue('all')).to.deep.equal([second]);
    expect(await outbox.status(5)).to.deep.include({ pending: 3, setAside: 0 });

    expect(ids(await outbox.claimUnpublished(at(100), at(100), leaseMs, 10))).to.deep.equal([
      first,
      second,
      third,
    ]);
    expect(
      await outbox.recordFailure(first, { error: 'HTTP 400', at: at(50), own: true }),
    ).to.deep.equal(at(50));
  });

  it('sets an entry aside: counted apart, never handed out again, kept with its reason', async () => {
    const [aside, pending] = [await place(0), await place(10)];
    await outbox.recordFailure(aside, { error: 'HTTP 400', at: at(15), own: true });
    await outbox.setAside(aside, 'invalid event', at(20));

    expect(ids(await outbox.claimUnpublished(at(100), at(100), leaseMs, 10))).to.deep.equal([
      pending,
    ]);
    const status = await outbox.status(5);
    expect(status).to.deep.include({ pending: 1, published: 0, setAside: 1 });
    expect(status.latestSetAside).to.have.length(1);
    expect(status.latestSetAside[0]).to.deep.include({ eventId: aside, reason: 'invalid event' });
    expect(status.latestSetAside[0]?.setAsideAt).to.deep.equal(at(20));
  });
}
