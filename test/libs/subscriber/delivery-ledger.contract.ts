import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { FulfilmentRecord } from '@orderflow/events';
import type { DeliveryContext, DeliveryLedger } from '@orderflow/subscriber';

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

  it('records a failure as retrying, or dead-lettered on the last attempt, with its error', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.fail(delivery, at(10), { error: 'HTTP 500', attempt: 1, deadLettered: false });
    expect(await fulfilment()).to.deep.include({ state: 'retrying', attempts: 1 });
    expect(await ledger.lastError(delivery.subscriber, delivery.eventId)).to.equal('HTTP 500');

    await ledger.begin(delivery, at(20), leaseMs);
    await ledger.fail(delivery, at(30), { error: 'HTTP 502', attempt: 2, deadLettered: true });
    expect(await fulfilment()).to.deep.include({
      state: 'dead-lettered',
      attempts: 2,
      lastError: 'HTTP 502',
    });
  });

  it("never lets an earlier attempt's late failure undo a later attempt's success", async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.begin(delivery, at(leaseMs + 1), leaseMs);

    await ledger.complete(delivery, at(leaseMs + 100), 2);
    await ledger.fail(delivery, at(leaseMs + 200), {
      error: 'late',
      attempt: 1,
      deadLettered: false,
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
      deadLettered: false,
    });

    expect(await ledger.begin(delivery, at(leaseMs + 200), leaseMs)).to.deep.equal({
      status: 'busy',
    });
  });

  it('starts the count of attempts again for a replay, keeping the steps done', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.completeStep(delivery, 'seller-a');
    await ledger.fail(delivery, at(10), { error: 'HTTP 500', attempt: 1, deadLettered: true });

    await ledger.resetForReplay(delivery, at(20));
    expect(await fulfilment()).to.deep.equal({
      state: 'pending',
      eventId: delivery.eventId,
      attempts: 0,
      updatedAt: at(20).toISOString(),
    });
    expect(await ledger.begin(delivery, at(30), leaseMs)).to.deep.equal({
      status: 'acquired',
      attempt: 1,
      completedSteps: ['seller-a'],
    });
  });

  it('remembers why a message was refused', async () => {
    const key = `sha256-${randomUUID()}`;
    await ledger.reject('seller', key, 'not JSON', at(0));

    expect(await ledger.lastError('seller', key)).to.equal('not JSON');
    expect(await ledger.lastError('notification', key)).to.equal(undefined);
  });
}
