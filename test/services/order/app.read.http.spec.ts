import { expect } from 'chai';
import request from 'supertest';
import type { FulfilmentRecord } from '@orderflow/events';
import type { orderResource } from '@orderflow/order/http/order-resource';
import type { Product } from '@orderflow/order/domain/order';
import { subscribersOf, topology } from '@orderflow/topology';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem } from '../../support/problem.js';

type OrderResource = ReturnType<typeof orderResource> & {
  fulfilment?: Record<string, FulfilmentRecord>;
};

const ada = aCustomer({ id: 'customer-ada' });
const bob = aCustomer({ id: 'customer-bob' });
const subscribers = subscribersOf(topology, 'order-placed.v1');

describe('order service reads', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(() => {
    h = anOrderApp({
      issuer,
      products: [
        aProduct({ id: 'vase', name: 'Vase', stock: 4 }),
        aProduct({ id: 'bowl', name: 'Bowl', stock: 7 }),
      ],
    });
  });

  async function placed(customer = ada): Promise<OrderResource> {
    const res = await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(customer))
      .send({ items: [{ productId: 'vase', quantity: 1 }] })
      .expect(201);
    return res.body as OrderResource;
  }

  async function get(path: string, customer = ada) {
    return request(h.app)
      .get(path)
      .set('Authorization', await h.authorization(customer));
  }

  describe('GET /orders/{id}', () => {
    it("shows the owner the order, every subscriber's fulfilment pending at first", async () => {
      const order = await placed();
      const res = await get(`/orders/${order.id}`);

      expect(res.status).to.equal(200);
      const { fulfilment, ...rest } = res.body as OrderResource;
      expect(rest).to.deep.equal(order);
      expect(subscribers).to.have.members(['notification', 'seller', 'segmentation']);
      expect(fulfilment).to.deep.equal(
        Object.fromEntries(subscribers.map((s) => [s, { state: 'pending', attempts: 0 }])),
      );
    });

    it('shows what the subscribers recorded, and pending for the rest', async () => {
      const order = await placed();
      const done: FulfilmentRecord = {
        state: 'done',
        eventId: 'evt-1',
        attempts: 1,
        updatedAt: '2025-03-01T10:00:01.000Z',
      };
      const retrying: FulfilmentRecord = {
        state: 'retrying',
        eventId: 'evt-1',
        attempts: 2,
        lastError: 'webhook answered 500',
        updatedAt: '2025-03-01T10:00:03.000Z',
      };
      h.store.fulfilment.set(order.id, { notification: done, seller: retrying });

      const { fulfilment } = (await get(`/orders/${order.id}`)).body as OrderResource;
      expect(fulfilment).to.deep.equal({
        notification: done,
        seller: retrying,
        segmentation: { state: 'pending', attempts: 0 },
      });
    });

    it("answers another customer's order exactly like a missing one: 404", async () => {
      const order = await placed();
      const someoneElses = expectProblem(await get(`/orders/${order.id}`, bob), 404, 'not-found');
      const missing = expectProblem(await get('/orders/no-such-order', bob), 404, 'not-found');
      expect(someoneElses.title).to.equal(missing.title);
      expect(JSON.stringify(someoneElses)).not.to.include(ada.id);
    });

    it('answers 401 without a token', async () => {
      const order = await placed();
      expectProblem(await request(h.app).get(`/orders/${order.id}`), 401, 'unauthenticated');
    });
  });

  describe('GET /products', () => {
    it('lists the catalog by name, with the stock left', async () => {
      await placed();
      const res = await request(h.app).get('/products').expect(200);
      const { products } = res.body as { products: Product[] };
      expect(products.map((p) => [p.id, p.stock])).to.deep.equal([
        ['bowl', 7],
        ['vase', 3],
      ]);
      expect(products[0]).to.have.all.keys(
        'id',
        'sellerId',
        'name',
        'priceCents',
        'currency',
        'stock',
      );
    });
  });

  describe('other routes', () => {
    it('GET /healthz answers ok', async () => {
      const res = await request(h.app).get('/healthz').expect(200);
      expect(res.body).to.deep.equal({ status: 'ok' });
    });

    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(await request(h.app).delete('/orders'), 404, 'not-found');
    });
  });
});
