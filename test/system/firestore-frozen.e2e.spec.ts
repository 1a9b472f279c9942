import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { localSystem } from './fixture.js';
import { call, placeOrder, stockOf, type ApiResponse } from './support/api.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { eventOf } from './support/observe.js';

/** Cloud Run's request timeout: an answer after it would never reach the client. */
const platformTimeoutMs = 30_000;

async function timed(request: Promise<ApiResponse>) {
  const started = Date.now();
  const response = await request;
  return { ...response, ms: Date.now() - started };
}

function expectBusy(response: ApiResponse & { ms: number }) {
  expect(response.status, JSON.stringify(response.body)).to.equal(503);
  expect(response.body.code).to.equal('busy');
  expect(Number(response.headers.get('retry-after'))).to.be.greaterThan(0);
  expect(response.ms).to.be.below(platformTimeoutMs);
}

describe('Firestore frozen', function () {
  this.timeout(120_000);

  it('answers 503 busy with Retry-After while frozen; after the thaw orders succeed, none lost or doubled', async () => {
    const catalog = await aCatalog({ products: [{ stock: 10, stockShards: 2 }] });
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();
    const first = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
    expect(first.status).to.equal(201);

    const key = randomUUID();
    const order = () =>
      placeOrder(customer.token, [{ productId, quantity: 1 }], { 'Idempotency-Key': key });
    localSystem().freezeEmulator('firestore', true);
    try {
      const [frozenOrder, frozenProducts] = await Promise.all([
        timed(order()),
        timed(call('GET', '/products?limit=100')),
      ]);
      expectBusy(frozenOrder);
      expectBusy(frozenProducts);
    } finally {
      localSystem().freezeEmulator('firestore', false);
    }

    // The client retries with the same key, as the README says: one order, whatever the 503 left.
    const retried = await eventually(async () => {
      const response = await order();
      expect(response.status).to.equal(201);
      return response;
    });
    const again = await order();
    expect(again.status).to.equal(201);
    expect(again.body.id).to.equal(retried.body.id);

    const orders = await firestore()
      .collection('orders')
      .where('customer.id', '==', customer.id)
      .count()
      .get();
    expect(orders.data().count).to.equal(2);
    expect(await stockOf(productId)).to.equal(8);
    for (const id of [first.body.id, retried.body.id]) await eventOf(id as string);
  });
});
