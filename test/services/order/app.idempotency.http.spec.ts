import { expect } from 'chai';
import request from 'supertest';
import type { orderResource } from '@orderflow/order/http/order-resource';
import { idempotencyKeyRetentionMs } from '@orderflow/order/domain/idempotency';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem } from '../../support/problem.js';

type OrderResource = ReturnType<typeof orderResource>;

const ada = aCustomer({ id: 'customer-ada' });
const bob = aCustomer({ id: 'customer-bob' });
const two = { items: [{ productId: 'mug', quantity: 2 }] };
const three = { items: [{ productId: 'mug', quantity: 3 }] };

describe('POST /orders with an Idempotency-Key', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;

  before(async () => {
    issuer = await aTestIssuer();
  });

  let tokens: Map<string, string>;

  beforeEach(async () => {
    h = anOrderApp({
      issuer,
      products: [aProduct({ id: 'mug', stock: 10 }), aProduct({ id: 'bowl', stock: 10 })],
    });
    tokens = new Map([
      [ada.id, await h.authorization(ada)],
      [bob.id, await h.authorization(bob)],
    ]);
  });

  const post = (body: object, key: string, customer = ada) =>
    request(h.app)
      .post('/orders')
      .set('Authorization', tokens.get(customer.id)!)
      .set('Idempotency-Key', key)
      .send(body);

  it('gives the same order back for the same key and body, reducing stock once', async () => {
    const first = await post(two, 'key-1');
    const second = await post(two, 'key-1');

    expect(first.status).to.equal(201);
    expect(second.status).to.equal(201);
    expect(second.body).to.deep.equal(first.body);
    expect(second.headers.location).to.equal(first.headers.location);
    expect(second.headers['idempotent-replayed']).to.equal('true');
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    expect(h.snapshot()).to.deep.include({ stock: { mug: 8, bowl: 10 }, orders: 1, published: 1 });
  });

  it('treats the same items in another order as the same body', async () => {
    const body = {
      items: [
        { productId: 'mug', quantity: 1 },
        { productId: 'bowl', quantity: 1 },
      ],
    };
    const first = await post(body, 'key-1').then((r) => r.body as OrderResource);
    const again = await post({ items: [...body.items].reverse() }, 'key-1').expect(201);
    expect((again.body as OrderResource).id).to.equal(first.id);
    expect(h.store.orders.size).to.equal(1);
  });

  it('answers 422 for the same key with another body, changing nothing', async () => {
    await post(two, 'key-1').expect(201);
    const before = h.snapshot();

    expectProblem(await post(three, 'key-1'), 422, 'idempotency-key-reused');
    expect(h.snapshot()).to.deep.equal(before);
  });

  it("keeps one customer's keys apart from another's", async () => {
    const adas = (await post(two, 'key-1')).body as OrderResource;
    const bobs = (await post(two, 'key-1', bob).expect(201)).body as OrderResource;
    expect(bobs.id).not.to.equal(adas.id);
    expect(bobs.customer.id).to.equal(bob.id);
    expect(h.snapshot().stock.mug).to.equal(6);
  });

  it('serialises concurrent requests with one key: one order, the others replay it', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(two, 'key-1')));

    expect(responses.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => (r.body as OrderResource).id)).size).to.equal(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).to.have.length(4);
    expect(h.snapshot()).to.deep.include({ stock: { mug: 8, bowl: 10 }, orders: 1, published: 1 });
  });

  it('keeps a key for its retention, then lets it place a new order', async () => {
    const first = (await post(two, 'key-1')).body as OrderResource;
    h.clock.advance(idempotencyKeyRetentionMs - 1);
    expect(((await post(two, 'key-1')).body as OrderResource).id).to.equal(first.id);

    h.clock.advance(1);
    const later = (await post(three, 'key-1').expect(201)).body as OrderResource;
    expect(later.id).not.to.equal(first.id);
    expect(h.snapshot().stock.mug).to.equal(5);
  });

  it('keeps no key for an order that failed, so a retry can succeed', async () => {
    h.store.products.get('mug')!.stock = 1;
    expectProblem(await post(two, 'key-1'), 409, 'insufficient-stock');

    h.store.products.get('mug')!.stock = 5;
    await post(two, 'key-1').expect(201);
    expect(h.snapshot()).to.deep.include({ stock: { mug: 3, bowl: 10 }, orders: 1 });
  });

  it('keeps no key for an order that failed, so another body may use it', async () => {
    expectProblem(
      await post({ items: [{ productId: 'ghost', quantity: 1 }] }, 'key-1'),
      422,
      'unknown-product',
    );
    await post(two, 'key-1').expect(201);
  });
});
