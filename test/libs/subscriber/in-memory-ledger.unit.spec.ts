import { expect } from 'chai';
import { InMemoryDeliveryLedger } from '@orderflow/subscriber';

const delivery = {
  subscriber: 'seller',
  eventId: 'event-1',
  orderId: 'order-1',
  eventType: 'order.placed.v1',
};
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

describe('delivery ledger', () => {
  it('never lets an earlier attempt’s late failure undo a later attempt’s success', async () => {
    const ledger = new InMemoryDeliveryLedger();
    const first = await ledger.begin(delivery, at(0), 1000);
    const second = await ledger.begin(delivery, at(1001), 1000);
    expect(first).to.deep.include({ status: 'acquired', attempt: 1 });
    expect(second).to.deep.include({ status: 'acquired', attempt: 2 });

    await ledger.complete(delivery, at(1100), 2);
    await ledger.fail(delivery, at(1200), { error: 'late', attempt: 1, deadLettered: false });

    expect(await ledger.begin(delivery, at(1300), 1000)).to.deep.equal({ status: 'done' });
    expect(ledger.fulfilment.get('order-1')?.seller).to.deep.include({
      state: 'done',
      attempts: 2,
    });
  });

  it('ignores the failure of an attempt that another attempt took over', async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.begin(delivery, at(0), 1000);
    await ledger.begin(delivery, at(1001), 1000);

    await ledger.fail(delivery, at(1100), { error: 'late', attempt: 1, deadLettered: false });

    expect(await ledger.begin(delivery, at(1200), 1000)).to.deep.equal({ status: 'busy' });
  });
});
