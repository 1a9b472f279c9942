import { expect } from 'chai';
import request from 'supertest';
import type { OrderResource, SellerOrderResource } from '@orderflow/order/http/resources';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem } from '../../support/problem.js';

const ada = aCustomer({ id: 'customer-ada' });
const bob = aCustomer({ id: 'customer-bob' });

describe('order lifecycle over HTTP', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(() => {
    h = anOrderApp({
      issuer,
      products: [
        aProduct({ id: 'mug', sellerId: 'pottery', priceCents: 1000, stock: 10 }),
        aProduct({ id: 'scarf', sellerId: 'wool', priceCents: 3000, stock: 5 }),
      ],
    });
    h.store.stockShards.set('scarf', [2, 2, 1]);
  });

  async function placed(): Promise<OrderResource> {
    const res = await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send({
        items: [
          { productId: 'mug', quantity: 2 },
          { productId: 'scarf', quantity: 2 },
        ],
      })
      .expect(201);
    return res.body as OrderResource;
  }

  const stock = () => ({
    mug: h.store.products.get('mug')?.stock,
    scarf: [...(h.store.stockShards.get('scarf') ?? [])],
  });

  async function cancel(orderId: string, customer = ada, body?: object) {
    const req = request(h.app)
      .post(`/orders/${orderId}/cancel`)
      .set('Authorization', await h.authorization(customer));
    return body ? req.send(body) : req;
  }

  async function seller(sellerId: string, orderId: string, action: string, body?: object) {
    const req = request(h.app)
      .post(`/seller/orders/${orderId}/${action}`)
      .set('Authorization', await h.sellerAuthorization(sellerId));
    return body ? req.send(body) : req;
  }

  it('cancels: 200 with the order cancelled, stock restored to its shards, the event published', async () => {
    const before = stock();
    const order = await placed();
    const res = await cancel(order.id, ada, { reason: 'changed my mind' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const cancelled = res.body as OrderResource;
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.parts.map((p) => p.state)).to.deep.equal(['cancelled', 'cancelled']);
    expect(cancelled.history.map((e) => e.action)).to.deep.equal(['placed', 'cancelled']);
    expect(stock()).to.deep.equal(before);
    const event = h.publisher.published.at(-1)?.event;
    expect(event?.type).to.equal('order.cancelled.v1');
    expect(event?.data).to.deep.include({
      orderId: order.id,
      sequence: 2,
      refundCents: 8000,
      reason: 'changed my mind',
    });
  });

  it('answers a second cancel the same, publishing nothing more', async () => {
    const order = await placed();
    const first = await cancel(order.id);
    const published = h.publisher.published.length;
    const second = await cancel(order.id);
    expect(second.status).to.equal(200);
    expect(second.body).to.deep.equal(first.body);
    expect(h.publisher.published).to.have.length(published);
  });

  it('refuses a cancel after a seller shipped (409), and hides the order from another customer (404)', async () => {
    const order = await placed();
    expect((await seller('wool', order.id, 'ship', { trackingNumber: 'TRK-1' })).status).to.equal(
      200,
    );
    expectProblem(await cancel(order.id), 409, 'not-cancellable');
    expectProblem(await cancel(order.id, bob), 404, 'not-found');
  });

  it('rejects a part: its lines cancelled, their stock restored, the rest untouched', async () => {
    const order = await placed();
    const afterPlacing = stock();
    const res = await seller('wool', order.id, 'reject', { reason: 'moths' });
    expect(res.status).to.equal(200);
    expect(res.body as SellerOrderResource).to.deep.include({ state: 'rejected', reason: 'moths' });
    expect(stock().mug).to.equal(afterPlacing.mug);
    expect(stock().scarf.reduce((a, b) => a + b, 0)).to.equal(5);
    const view = await request(h.app)
      .get(`/orders/${order.id}`)
      .set('Authorization', await h.authorization(ada))
      .expect(200);
    expect((view.body as OrderResource).parts).to.deep.equal([
      { sellerId: 'pottery', state: 'pending' },
      { sellerId: 'wool', state: 'rejected', reason: 'moths' },
    ]);
  });

  it("lists a seller's own parts, newest first, and answers another seller's order with 404", async () => {
    const first = await placed();
    h.clock.advance(1000);
    const second = await placed();
    const res = await request(h.app)
      .get('/seller/orders?limit=1')
      .set('Authorization', await h.sellerAuthorization('pottery'))
      .expect(200);
    const page = res.body as { orders: SellerOrderResource[]; nextCursor: string | null };
    expect(page.orders.map((o) => o.orderId)).to.deep.equal([second.id]);
    expect(page.orders[0]?.lines.map((l) => l.productId)).to.deep.equal(['mug']);
    expect(page.nextCursor).to.be.a('string');
    expectProblem(await seller('glass', first.id, 'accept'), 404, 'not-found');
  });

  it('refuses a customer token on the seller API, and a bad shipment body', async () => {
    const order = await placed();
    const res = await request(h.app)
      .post(`/seller/orders/${order.id}/accept`)
      .set('Authorization', await h.authorization(ada));
    expectProblem(res, 401, 'unauthenticated');
    expectProblem(await seller('wool', order.id, 'ship', {}), 400, 'invalid-request');
    expectProblem(
      await request(h.app)
        .post(`/seller/orders/${order.id}/ship`)
        .set('Authorization', await h.sellerAuthorization('wool')),
      415,
      'unsupported-media-type',
    );
  });
});
