import { expect } from 'chai';
import request from 'supertest';
import type { CustomerFulfilment } from '@orderflow/order/domain/fulfilment';
import type { orderResource } from '@orderflow/order/http/order-resource';
import type { Product } from '@orderflow/order/domain/order';
import { subscribersOf, topology } from '@orderflow/topology';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem, invalidParamNames } from '../../support/problem.js';

type OrderResource = ReturnType<typeof orderResource> & {
  fulfilment?: Record<string, CustomerFulfilment>;
};

const ada = aCustomer({ id: 'customer-ada' });
const bob = aCustomer({ id: 'customer-bob' });
const subscribers = subscribersOf(topology, 'order-placed.v1');
/** A cursor made by hand, as a client could: base64url JSON of any position. */
const forged = (position: object) => Buffer.from(JSON.stringify(position)).toString('base64url');

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

    it('shows what the subscribers recorded, and pending for the rest, without raw errors', async () => {
      const order = await placed();
      const done = {
        state: 'done' as const,
        eventId: 'evt-1',
        attempts: 1,
        updatedAt: '2025-03-01T10:00:01.000Z',
      };
      const retrying = {
        state: 'retrying' as const,
        eventId: 'evt-1',
        attempts: 2,
        lastError: 'webhook answered 500',
        updatedAt: '2025-03-01T10:00:03.000Z',
      };
      h.store.fulfilment.set(order.id, { notification: done, seller: retrying });

      const { fulfilment } = (await get(`/orders/${order.id}`)).body as OrderResource;
      expect(fulfilment).to.deep.equal({
        notification: { state: 'done', attempts: 1, updatedAt: done.updatedAt },
        seller: {
          state: 'retrying',
          attempts: 2,
          updatedAt: retrying.updatedAt,
          issue: 'seller endpoint unavailable',
        },
        segmentation: { state: 'pending', attempts: 0 },
      });
    });

    it('shows a dead-lettered subscriber by its category, never its last error', async () => {
      const order = await placed();
      const lastError = 'POST https://hooks.acme.test/orders?token=s3cret answered 500';
      h.store.fulfilment.set(order.id, {
        seller: { state: 'dead-lettered', attempts: 5, lastError },
        segmentation: { state: 'retrying', attempts: 1, lastError: 'firestore: deadline' },
      });

      const res = await get(`/orders/${order.id}`);

      const { fulfilment } = res.body as OrderResource;
      expect(fulfilment?.seller).to.deep.equal({
        state: 'dead-lettered',
        attempts: 5,
        issue: 'seller endpoint unavailable',
      });
      expect(fulfilment?.segmentation?.issue).to.equal('customer profile update delayed');
      expect(res.text).not.to.include('s3cret').and.not.to.include('firestore');
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

  describe('GET /orders', () => {
    type OrderPage = { orders: OrderResource[]; nextCursor: string | null };

    it("lists the caller's own orders, newest first, a page at a time", async () => {
      const first = await placed();
      await placed(bob);
      h.clock.advance(1000);
      const second = await placed();
      h.clock.advance(1000);
      const third = await placed();

      const one = await get('/orders?limit=2');
      expect(one.status).to.equal(200);
      const page = one.body as OrderPage;
      expect(page.orders).to.deep.equal([third, second]);
      expect(page.nextCursor).to.be.a('string');
      expect(one.headers.link).to.equal(`</orders?limit=2&cursor=${page.nextCursor}>; rel="next"`);

      const two = await get(`/orders?limit=2&cursor=${page.nextCursor}`);
      expect(two.body).to.deep.equal({ orders: [first], nextCursor: null });
      expect(two.headers.link).to.equal(undefined);
    });

    it("never shows anyone else's orders, even with their cursor", async () => {
      await placed();
      h.clock.advance(1000);
      await placed();
      const { nextCursor } = (await get('/orders?limit=1')).body as OrderPage;

      expect((await get('/orders', bob)).body).to.deep.equal({ orders: [], nextCursor: null });
      expect((await get(`/orders?cursor=${nextCursor}`, bob)).body).to.deep.equal({
        orders: [],
        nextCursor: null,
      });
    });

    it('refuses a bad limit or a cursor it did not give out, naming the parameter', async () => {
      const createdAt = new Date().toISOString();
      for (const [query, name] of [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=ten', 'limit'],
        ['cursor=not-base64-json', 'cursor'],
        [`cursor=${forged({ name: 'x' })}`, 'cursor'],
        [`cursor=${forged({ createdAt, id: 'orders/x' })}`, 'cursor'],
        [`cursor=${forged({ createdAt, id: '__x__' })}`, 'cursor'],
      ]) {
        const problem = expectProblem(await get(`/orders?${query}`), 400, 'invalid-request');
        expect(invalidParamNames(problem), query).to.deep.equal([name]);
      }
    });

    it('answers 401 without a token', async () => {
      expectProblem(await request(h.app).get('/orders'), 401, 'unauthenticated');
    });
  });

  describe('GET /products', () => {
    it('lists the catalog by name, with the stock left', async () => {
      await placed();
      const res = await request(h.app).get('/products').expect(200);
      const { products, nextCursor } = res.body as { products: Product[]; nextCursor: null };
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
      expect(nextCursor).to.equal(null);
    });

    it('pages the catalog with limit and cursor', async () => {
      const one = await request(h.app).get('/products?limit=1').expect(200);
      const { products, nextCursor } = one.body as { products: Product[]; nextCursor: string };
      expect(products.map((p) => p.id)).to.deep.equal(['bowl']);
      const two = await request(h.app).get(`/products?limit=1&cursor=${nextCursor}`).expect(200);
      expect(two.body).to.deep.include({ nextCursor: null });
      expect((two.body as { products: Product[] }).products.map((p) => p.id)).to.deep.equal([
        'vase',
      ]);
    });

    it('refuses a forged cursor whose id is not an id, as it refuses an order id', async () => {
      for (const id of ['a/b', '..', '__name__', 'x'.repeat(129)]) {
        const problem = expectProblem(
          await request(h.app).get(`/products?cursor=${forged({ name: 'Bowl', id })}`),
          400,
          'invalid-request',
        );
        expect(invalidParamNames(problem), id).to.deep.equal(['cursor']);
      }
    });

    it('answers 304 to a shop that has the page already, and 200 once the stock moved', async () => {
      const first = await request(h.app).get('/products').expect(200);
      expect(first.headers['cache-control']).to.equal('no-cache');
      const etag = first.headers.etag as string;
      expect(etag).to.be.a('string');

      const unchanged = await request(h.app).get('/products').set('If-None-Match', etag);
      expect(unchanged.status).to.equal(304);
      expect(unchanged.text).to.equal('');

      await placed();
      const changed = await request(h.app).get('/products').set('If-None-Match', etag);
      expect(changed.status).to.equal(200);
      expect(changed.headers.etag).to.not.equal(etag);
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
