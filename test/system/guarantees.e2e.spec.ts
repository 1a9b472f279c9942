import { expect } from 'chai';
import { planSubscriptions, topology } from '@orderflow/topology';
import { call, placeOrder, stockOf } from './support/api.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';
import {
  allDone,
  eventOf,
  mailsTo,
  segmentOf,
  untilFulfilment,
  webhooksOf,
} from './support/observe.js';
import { push } from './support/push.js';

async function effectsOf(orderId: string, customer: { id: string; email: string }) {
  return {
    mails: (await mailsTo(customer.email)).length,
    webhooks: (await webhooksOf(orderId)).length,
    segment: await segmentOf(customer.id),
  };
}

describe('the order flow keeps its guarantees', () => {
  it('a redelivered message changes nothing', async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 700 }] });
    const customer = await aCustomer();
    const placed = await placeOrder(customer.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);
    const orderId = placed.body.id as string;
    await untilFulfilment(orderId, customer.token, allDone);
    const before = await effectsOf(orderId, customer);
    expect(before).to.deep.include({ mails: 1, webhooks: 1 });

    const { event } = await eventOf(orderId);
    for (const plan of planSubscriptions(topology)) {
      expect(await push(plan, event, `redelivery-${plan.subscriber}`), plan.subscriber).to.equal(
        204,
      );
    }

    expect(await effectsOf(orderId, customer)).to.deep.equal(before);
  });

  it('concurrent buyers cannot oversell', async () => {
    const stock = 10;
    const buyers = 50;
    const catalog = await aCatalog({ products: [{ stock }] });
    const productId = catalog.products[0]!.id;
    const customers = await Promise.all(Array.from({ length: buyers }, () => aCustomer()));

    const responses = await Promise.all(
      customers.map((c) => placeOrder(c.token, [{ productId, quantity: 1 }])),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(stock);
    expect(statuses.filter((s) => s === 409)).to.have.length(buyers - stock);
    expect(await stockOf(productId)).to.equal(0);
    const orders = await firestore().collection('orders').where('lines', '!=', null).get();
    const sold = orders.docs.filter((d) =>
      (d.data() as { lines: { productId: string }[] }).lines.some((l) => l.productId === productId),
    );
    expect(sold).to.have.length(stock);
  });

  it('the same Idempotency-Key places the order once, also when sent concurrently', async () => {
    const catalog = await aCatalog({ products: [{ stock: 5 }] });
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();
    const headers = { 'idempotency-key': `key-${customer.id}` };
    const order = () => placeOrder(customer.token, [{ productId, quantity: 2 }], headers);

    const together = await Promise.all([order(), order(), order(), order()]);
    const again = await order();
    const other = await placeOrder(customer.token, [{ productId, quantity: 1 }], headers);

    expect([...together, again].map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set([...together, again].map((r) => r.body.id as string)).size).to.equal(1);
    expect(again.body).to.deep.equal(together[0].body);
    expect(other.status).to.equal(422);
    expect(await stockOf(productId)).to.equal(3);
  });

  it("a customer cannot read another customer's order", async () => {
    const catalog = await aCatalog({ products: [{}] });
    const [owner, stranger] = [await aCustomer(), await aCustomer()];
    const placed = await placeOrder(owner.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);

    const mine = await call('GET', `/orders/${placed.body.id as string}`, { token: owner.token });
    const theirs = await call('GET', `/orders/${placed.body.id as string}`, {
      token: stranger.token,
    });

    expect(mine.status).to.equal(200);
    expect(theirs.status).to.equal(404);
  });
});
