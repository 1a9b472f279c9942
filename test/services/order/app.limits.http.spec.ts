import { expect } from 'chai';
import request from 'supertest';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem } from '../../support/problem.js';

/** A burst of 3 in a window of an hour: no test here can reach the window's end. */
const slow = { perSecond: 3 / 3600, burst: 3 };

describe('abuse limits', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;
  const ada = aCustomer({ id: 'customer-ada' });
  const bob = aCustomer({ id: 'customer-bob' });

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(() => {
    h = anOrderApp({
      issuer,
      products: [aProduct({ id: 'p', stock: 100 })],
      rateLimits: { customer: slow, address: slow },
    });
  });

  const order = async (customer = ada) =>
    request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(customer))
      .send({ items: [{ productId: 'p', quantity: 1 }] });

  it("limits a customer's orders, with Retry-After and the IETF RateLimit headers", async () => {
    for (let i = 0; i < slow.burst; i += 1) {
      const res = await order();
      expect(res.status).to.equal(201);
      expect(res.headers['ratelimit-policy']).to.contain('"orders-per-customer"; q=3; w=3600');
    }
    const before = h.snapshot();

    const limited = await order();

    expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers['retry-after'])).to.be.within(3590, 3600);
    expect(limited.headers.ratelimit).to.match(/"orders-per-customer"; r=0; t=\d+/);
    expect(h.snapshot()).to.deep.equal(before);
  });

  it("never limits one customer for another's flood, nor by their shared address", async () => {
    for (let i = 0; i < slow.burst + 2; i += 1) await order(ada);
    expect((await order(bob)).status).to.equal(201);
  });

  it('never limits customers sending at once from one address by that address', async () => {
    const customers = Array.from({ length: slow.burst + 3 }, (_, i) =>
      aCustomer({ id: `customer-${i}` }),
    );

    const statuses = await Promise.all(customers.map(async (c) => (await order(c)).status));

    expect(statuses).to.deep.equal(customers.map(() => 201));
  });

  it('limits requests without a valid token per client address', async () => {
    for (let i = 0; i < slow.burst; i += 1) {
      await request(h.app).get('/products').expect(200);
    }
    expectProblem(await request(h.app).get('/products'), 429, 'rate-limited');
    // Bad tokens count too; a customer's valid one is limited per customer instead.
    expectProblem(
      await request(h.app).get('/orders/x').set('Authorization', 'Bearer a.b.c'),
      429,
      'rate-limited',
    );
  });

  it('tells addresses apart by the address the trusted proxy saw, not what the client wrote', async () => {
    const from = (forwarded: string) =>
      request(h.app).get('/products').set('X-Forwarded-For', forwarded);
    for (let i = 0; i < slow.burst; i += 1) await from(`10.0.0.${i}, 203.0.113.7`).expect(200);
    expectProblem(await from('10.9.9.9, 203.0.113.7'), 429, 'rate-limited');
    await from('10.0.0.1, 203.0.113.8').expect(200);
  });
});
