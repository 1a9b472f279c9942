import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { FulfilmentRecord } from '@orderflow/events';
import { replayAttribute, type DeliveryContext, type DeliveryLedger } from '@orderflow/subscriber';
import { aDeadLetter } from '../../support/subscriber.js';
import { aContractSubscriber } from './contract-subscribers.js';

export interface LedgerUnderTest {
  ledger: DeliveryLedger;
  /** The fulfilment record the ledger keeps for the order and subscriber. */
  fulfilment(orderId: string, subscriber: string): Promise<FulfilmentRecord | undefined>;
}

const leaseMs = 1000;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** What every delivery ledger guarantees, run against each implementation. */
export function behavesAsADeliveryLedger(make: () => LedgerUnderTest): void {
  let ledger: DeliveryLedger;
  let fulfilment: () => Promise<FulfilmentRecord | undefined>;
  let delivery: DeliveryContext;

  beforeEach(() => {
    const subject = make();
    ledger = subject.ledger;
    delivery = {
      subscriber: 'seller',
      eventId: `event-${randomUUID()}`,
      orderId: `order-${randomUUID()}`,
      eventType: 'order.placed.v1',
    };
    fulfilment = () => subject.fulfilment(delivery.orderId, delivery.subscriber);
  });

  it('hands out one lease at a time, and the next attempt after it runs out', async () => {
    expect(await ledger.begin(delivery, at(0), leaseMs)).to.deep.equal({
      status: 'acquired',
      attempt: 1,
      completedSteps: [],
    });
    expect(await ledger.begin(delivery, at(leaseMs - 1), leaseMs)).to.deep.equal({
      status: 'busy',
    });
    await ledger.completeStep(delivery, 'seller-a');

    expect(await ledger.begin(delivery, at(leaseMs), leaseMs)).to.deep.equal({
      status: 'acquired',
      attempt: 2,
      completedSteps: ['seller-a'],
    });
  });

  it('answers done for ever once an attempt completed', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.complete(delivery, at(10), 1);

    expect(await ledger.begin(delivery, at(20), leaseMs)).to.deep.equal({ status: 'done' });
    expect(await fulfilment()).to.deep.equal({
      state: 'done',
      eventId: delivery.eventId,
      attempts: 1,
      updatedAt: at(10).toISOString(),
    });
  });

  it('records a failure as retrying with its error, even the last: Pub/Sub decides', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.fail(delivery, at(10), { error: 'HTTP 500', attempt: 1 });
    expect(await fulfilment()).to.deep.include({ state: 'retrying', attempts: 1 });
    expect(await ledger.lastError(delivery.subscriber, delivery.eventId)).to.equal('HTTP 500');

    await ledger.begin(delivery, at(20), leaseMs);
    await ledger.fail(delivery, at(30), { error: 'HTTP 502', attempt: 2 });
    expect(await fulfilment()).to.deep.include({
      state: 'retrying',
      attempts: 2,
      lastError: 'HTTP 502',
    });
  });

  it('records a dead letter and the order dead-lettered in one step, with the last error', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.fail(delivery, at(10), { error: 'HTTP 502', attempt: 1 });

    expect(await ledger.recordDeadLetter(aDeadLetter(delivery, at(20)), at(20))).to.equal(
      'recorded',
    );
    expect(await fulfilment()).to.deep.equal({
      state: 'dead-lettered',
      eventId: delivery.eventId,
      attempts: 1,
      lastError: 'HTTP 502',
      updatedAt: at(20).toISOString(),
    });
    // The attempt that outlived its deadline fails late: the dead letter stands.
    await ledger.fail(delivery, at(30), { error: 'late', attempt: 1 });
    expect(await fulfilment()).to.deep.include({ state: 'dead-lettered', lastError: 'HTTP 502' });
  });

  it('does not record the dead letter of a delivery that is done', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.complete(delivery, at(10), 1);

    expect(await ledger.recordDeadLetter(aDeadLetter(delivery, at(20)), at(20))).to.equal('stale');
    expect(await fulfilment()).to.deep.include({ state: 'done' });
  });

  it('changes nothing for a dead letter already recorded, even while a copy of the message runs', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.fail(delivery, at(10), { error: 'HTTP 502', attempt: 1 });
    const letter = aDeadLetter(delivery, at(20));
    expect(await ledger.recordDeadLetter(letter, at(20))).to.equal('recorded');
    // Pub/Sub dead-letters best effort: a copy of the message is pushed and begins.
    expect(await ledger.begin(delivery, at(30), leaseMs)).to.include({ status: 'acquired' });

    // The same dead-letter message, pushed again.
    expect(await ledger.recordDeadLetter(letter, at(40))).to.equal('stale');

    expect(await ledger.begin(delivery, at(50), leaseMs)).to.deep.equal({ status: 'busy' });
    expect(await fulfilment()).to.deep.include({ state: 'dead-lettered', lastError: 'HTTP 502' });
  });

  it('never clears the lease of an attempt still running: the dead letter waits for it', async () => {
    await ledger.begin(delivery, at(0), leaseMs);

    expect(await ledger.recordDeadLetter(aDeadLetter(delivery, at(10)), at(10))).to.equal('busy');

    expect(await ledger.begin(delivery, at(20), leaseMs)).to.deep.equal({ status: 'busy' });
    expect(await fulfilment()).to.equal(undefined);
    // The attempt failed: Pub/Sub pushes the dead letter again, and now it is recorded.
    await ledger.fail(delivery, at(30), { error: 'HTTP 500', attempt: 1 });
    const again = aDeadLetter(delivery, at(40));
    expect(await ledger.recordDeadLetter(again, at(40))).to.equal('recorded');
    expect(await fulfilment()).to.deep.include({ state: 'dead-lettered', lastError: 'HTTP 500' });
  });

  it("never lets an earlier attempt's late failure undo a later attempt's success", async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.begin(delivery, at(leaseMs + 1), leaseMs);

    await ledger.complete(delivery, at(leaseMs + 100), 2);
    await ledger.fail(delivery, at(leaseMs + 200), {
      error: 'late',
      attempt: 1,
    });

    expect(await ledger.begin(delivery, at(leaseMs + 300), leaseMs)).to.deep.equal({
      status: 'done',
    });
    expect(await fulfilment()).to.deep.include({ state: 'done', attempts: 2 });
  });

  it('ignores the failure of an attempt that another attempt took over', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.begin(delivery, at(leaseMs + 1), leaseMs);

    await ledger.fail(delivery, at(leaseMs + 100), {
      error: 'late',
      attempt: 1,
    });

    expect(await ledger.begin(delivery, at(leaseMs + 200), leaseMs)).to.deep.equal({
      status: 'busy',
    });
  });

  it('finds deliveries never recorded or left unfinished past the bound, each re-driven once', async () => {
    // A subscriber of this test alone: the query of unfinished deliveries sees no other test's.
    const mine = { ...delivery, subscriber: aContractSubscriber('seller') };
    const never = { ...mine, eventId: `event-${randomUUID()}` };
    await ledger.begin(mine, at(0), leaseMs);
    await ledger.fail(mine, at(10), { error: 'HTTP 502', attempt: 1 });
    const key = { subscriber: mine.subscriber, eventId: mine.eventId };

    expect(await ledger.unrecorded(mine.subscriber, [mine.eventId, never.eventId])).to.deep.equal([
      never.eventId,
    ]);
    expect(await ledger.stalled(mine.subscriber, at(5), at(20), 10)).to.deep.equal([]);
    expect(await ledger.stalled(mine.subscriber, at(10), at(20), 10)).to.deep.equal([key]);

    expect(await ledger.redrive(mine, at(20), at(10), 'replay-1')).to.equal(true);
    expect(await ledger.redrive(mine, at(21), at(10), 'replay-2')).to.equal(false);
    expect(await ledger.redrive(never, at(20), at(10), 'replay-3')).to.equal(true);
    expect(await ledger.unrecorded(mine.subscriber, [never.eventId])).to.deep.equal([]);
    expect(await ledger.stalled(mine.subscriber, at(19), at(30), 10)).to.deep.equal([]);
    // Every push of the re-driven message failed before the ledger: its dead letter is news.
    const letter = aDeadLetter(mine, at(40));
    const replayed = {
      ...letter,
      message: { ...letter.message, attributes: { [replayAttribute]: 'replay-1' } },
    };
    expect(await ledger.recordDeadLetter(letter, at(40))).to.equal('stale');
    expect(await ledger.recordDeadLetter(replayed, at(40))).to.equal('recorded');
  });

  it('never re-drives a delivery done, or one with an attempt running', async () => {
    const mine = { ...delivery, subscriber: aContractSubscriber('seller') };
    await ledger.begin(mine, at(0), leaseMs * 100);

    expect(await ledger.stalled(mine.subscriber, at(10), at(20), 10)).to.deep.equal([]);
    expect(await ledger.redrive(mine, at(20), at(10), 'replay-1')).to.equal(false);
    await ledger.complete(mine, at(30), 1);
    expect(await ledger.redrive(mine, at(60), at(40), 'replay-1')).to.equal(false);
    expect(await ledger.stalled(mine.subscriber, at(40), at(60), 10)).to.deep.equal([]);
  });

  it('remembers why a message was refused', async () => {
    const key = `sha256-${randomUUID()}`;
    await ledger.reject('seller', key, 'not JSON', at(0));

    expect(await ledger.lastError('seller', key)).to.equal('not JSON');
    expect(await ledger.lastError('notification', key)).to.equal(undefined);
  });
}
