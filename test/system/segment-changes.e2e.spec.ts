import { expect } from 'chai';
import { placeOrder } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { mailsTo, segmentOf } from './support/observe.js';

describe('segment changes, end to end', () => {
  it('welcomes a customer who becomes vip by e-mail, through customer.segment-changed.v1', async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 60_000, stock: 5 }] });
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();

    const placed = await placeOrder(customer.token, [{ productId, quantity: 2 }]);
    expect(placed.status).to.equal(201);

    const welcome = await eventually(async () => {
      const mails = await mailsTo(customer.email);
      const found = mails.find((m) => m.subject === 'Welcome to our VIP customers');
      expect(found, 'the VIP welcome').to.not.equal(undefined);
      return found!;
    });
    expect(welcome.text).to.contain('you are now one of our VIP customers');
    expect(await segmentOf(customer.id)).to.include({ orderCount: 1, segment: 'vip' });
  });
});
