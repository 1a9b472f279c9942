import { expect } from 'chai';
import { localSystem } from './fixture.js';
import { call, placeOrder, stockOf } from './support/api.js';
import {
  aCatalog,
  aCustomer,
  aSellerToken,
  firestore,
  type TestCatalog,
} from './support/clients.js';
import { eventually } from './support/eventually.js';
import { mailsTo, sellerEndpoint, webhooksOf } from './support/observe.js';

interface Part {
  sellerId: string;
  state: string;
  trackingNumber?: string;
}

/** An order of one unit of each product, by a new customer. */
async function anOrder(catalog: TestCatalog, quantity = 1) {
  const customer = await aCustomer();
  const placed = await placeOrder(
    customer.token,
    catalog.products.map((p) => ({ productId: p.id, quantity })),
  );
  expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
  return { customer, orderId: placed.body.id as string };
}

const cancel = (orderId: string, token: string, origin?: string) =>
  call('POST', `/orders/${orderId}/cancel`, { token, ...(origin ? { origin } : {}) });

async function sellerAction(
  sellerId: string,
  orderId: string,
  action: 'accept' | 'ship' | 'reject',
  body?: object,
) {
  return call('POST', `/seller/orders/${orderId}/${action}`, {
    token: await aSellerToken(sellerId),
    ...(body ? { body } : {}),
  });
}

/** Each shard's level of a sharded product, read where the orders take them. */
async function shardLevels(productId: string): Promise<number[]> {
  const shards = await firestore().collection(`products/${productId}/stockShards`).get();
  return shards.docs
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((doc) => doc.get('stock') as number);
}

const webhookTypes = async (orderId: string, sellerId: string) =>
  (await webhooksOf(orderId))
    .filter((w) => w.sellerId === sellerId)
    .map((w) => (w.payload as { type: string }).type);

describe('the order after placed', function () {
  this.timeout(90_000);

  it('cancels: 200 and cancelled, the same answer again, the stock back, the customer and each seller told', async () => {
    const catalog = await aCatalog({
      sellers: [{}, {}],
      products: [
        { seller: 0, stock: 10, priceCents: 1200 },
        { seller: 1, stock: 10, priceCents: 800 },
      ],
    });
    const { customer, orderId } = await anOrder(catalog, 2);
    const first = await cancel(orderId, customer.token);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ status: 'cancelled' });
    const again = await cancel(orderId, customer.token);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    for (const product of catalog.products) expect(await stockOf(product.id)).to.equal(10);

    await eventually(async () => {
      const mail = (await mailsTo(customer.email)).find((m) => /cancelled/.test(m.subject ?? ''));
      expect(mail?.text).to.include('Refund: €40.00');
    });
    for (const seller of catalog.sellers) {
      await eventually(async () => {
        expect(await webhookTypes(orderId, seller.id)).to.deep.equal([
          'order.placed',
          'order.cancelled',
        ]);
      });
    }
  });

  it('refuses a cancel after a seller shipped with 409, and the customer gets the tracking number', async () => {
    const catalog = await aCatalog({ products: [{ stock: 5 }] });
    const seller = catalog.sellers[0]!.id;
    const { customer, orderId } = await anOrder(catalog);
    const shipped = await sellerAction(seller, orderId, 'ship', { trackingNumber: 'TRK-42' });
    expect(shipped.status, JSON.stringify(shipped.body)).to.equal(200);
    expect(shipped.body).to.include({ state: 'shipped', orderStatus: 'shipped' });
    const refused = await cancel(orderId, customer.token);
    expect(refused.status).to.equal(409);
    expect(refused.body).to.include({ code: 'not-cancellable' });
    await eventually(async () => {
      const mail = (await mailsTo(customer.email)).find((m) => /shipped/.test(m.subject ?? ''));
      expect(mail?.text).to.include('Tracking number: TRK-42');
    });
  });

  it('rejects one part of a two-seller order: its stock restored exactly to its shards, the rest kept, the customer refunded', async () => {
    const catalog = await aCatalog({
      sellers: [{}, {}],
      products: [
        { seller: 0, stock: 20 },
        { seller: 1, stock: 20, stockShards: 4 },
      ],
    });
    const [kept, rejected] = catalog.products as [
      TestCatalog['products'][0],
      TestCatalog['products'][0],
    ];
    const before = await shardLevels(rejected.id);
    const { customer, orderId } = await anOrder(catalog, 3);
    expect(await shardLevels(rejected.id)).to.not.deep.equal(before);

    const res = await sellerAction(catalog.sellers[1]!.id, orderId, 'reject', {
      reason: 'damaged in the warehouse',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await shardLevels(rejected.id)).to.deep.equal(before);
    expect(await stockOf(kept.id)).to.equal(17);

    const view = await call('GET', `/orders/${orderId}`, { token: customer.token });
    expect(view.body.status).to.equal('placed');
    expect((view.body.parts as Part[]).map((p) => p.state)).to.deep.equal(['pending', 'rejected']);
    await eventually(async () => {
      const mail = (await mailsTo(customer.email)).find((m) =>
        /by the seller/.test(m.subject ?? ''),
      );
      expect(mail?.text).to.include(`3 × ${rejected.name}`).and.include('Refund: €30.00');
    });
  });

  it("answers a seller reaching for another seller's order with 404, and lists only its own", async () => {
    const catalog = await aCatalog({ sellers: [{}, {}], products: [{ seller: 0 }] });
    const owner = catalog.sellers[0]!;
    const stranger = catalog.sellers[1]!;
    const { orderId } = await anOrder(catalog);
    for (const action of ['accept', 'ship', 'reject'] as const) {
      const res = await sellerAction(stranger.id, orderId, action, {
        trackingNumber: 'T',
        reason: 'r',
      });
      expect(res.status, action).to.be.oneOf([400, 404]);
    }
    expect((await sellerAction(stranger.id, orderId, 'accept')).status).to.equal(404);
    const own = await call('GET', '/seller/orders', { token: await aSellerToken(owner.id) });
    expect((own.body.orders as { orderId: string }[]).map((o) => o.orderId)).to.deep.equal([
      orderId,
    ]);
    const none = await call('GET', '/seller/orders', { token: await aSellerToken(stranger.id) });
    expect(none.body.orders).to.deep.equal([]);
  });

  it('lets exactly one of a cancel and a ship win, sent at once to the two instances, twenty times', async () => {
    const catalog = await aCatalog({ products: [{ stock: 100 }] });
    const seller = catalog.sellers[0]!.id;
    const sellerToken = await aSellerToken(seller);
    const [first, second] = Object.values(localSystem().urls.orderInstances);
    expect(second, 'two order instances').to.be.a('string');
    for (let round = 0; round < 20; round++) {
      const { customer, orderId } = await anOrder(catalog);
      const [cancelled, shipped] = await Promise.all([
        cancel(orderId, customer.token, first),
        call('POST', `/seller/orders/${orderId}/ship`, {
          token: sellerToken,
          body: { trackingNumber: `TRK-${round}` },
          origin: second,
        }),
      ]);
      const statuses = [cancelled.status, shipped.status].sort();
      expect(statuses, JSON.stringify([cancelled.body, shipped.body])).to.deep.equal([200, 409]);
      const view = await call('GET', `/orders/${orderId}`, { token: customer.token });
      expect(view.body.status).to.equal(cancelled.status === 200 ? 'cancelled' : 'shipped');
      const history = view.body.history as { action: string }[];
      expect(history.map((h) => h.action)).to.have.length(2);
    }
    // Every cancelled order's unit came back, every shipped one's did not.
    const orders = await firestore()
      .collection('orders')
      .where('sellerIds', 'array-contains', seller)
      .get();
    const shippedUnits = orders.docs.filter((d) => d.get('status') === 'shipped').length;
    expect(await stockOf(catalog.products[0]!.id)).to.equal(100 - shippedUnits);
  });

  it('never tells a seller of the order after its cancellation, though its endpoint was down for both', async () => {
    const catalog = await aCatalog({ products: [{ stock: 5 }] });
    const seller = catalog.sellers[0]!.id;
    await sellerEndpoint(seller, { status: 503 });
    try {
      const { customer, orderId } = await anOrder(catalog);
      const attempted = async (type: string) =>
        eventually(async () => {
          const { attempts } = (await (
            await fetch(`${localSystem().urls.webhooks}/attempts`)
          ).json()) as { attempts: { sellerId: string; status: number }[] };
          expect(attempts.filter((a) => a.sellerId === seller).length, type).to.be.greaterThan(
            type === 'placed' ? 0 : 1,
          );
        });
      await attempted('placed');
      expect((await cancel(orderId, customer.token)).status).to.equal(200);
      await attempted('cancelled');
      await sellerEndpoint(seller, { status: 200 });
      await eventually(
        async () => {
          expect(await webhookTypes(orderId, seller)).to.include('order.cancelled');
        },
        { timeoutMs: 40_000, intervalMs: 500 },
      );
      // The placed event's retries run out or find the cancellation claimed: nothing comes after.
      await eventually(
        async () => {
          const records = await firestore().collection(`orders/${orderId}/fulfilment`).get();
          const states = Object.fromEntries(records.docs.map((d) => [d.id, d.get('state')]));
          expect(states).to.include({ seller: 'done', 'seller-cancelled': 'done' });
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      const told = await webhookTypes(orderId, seller);
      expect([['order.placed', 'order.cancelled'], ['order.cancelled']]).to.deep.include(told);
    } finally {
      await sellerEndpoint(seller, { status: 200 });
    }
  });
});
