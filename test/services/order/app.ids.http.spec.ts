import { expect } from 'chai';
import request from 'supertest';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, bearer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem, invalidParamNames } from '../../support/problem.js';

/** Strings that reach Firestore as paths if nothing stops them, and the id rule refuses. */
export const pathBreakingIds = [
  'a/b',
  'a/b/c',
  '.',
  '..',
  '__x__',
  '____',
  'x'.repeat(129),
  'é'.repeat(751),
  'tent 2p',
  'tent%2Fp',
  '',
];

describe('the id rule', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;
  const ada = aCustomer({ id: 'customer-ada' });
  const tent = aProduct({ id: 'tent-2p', stock: 5 });

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(() => {
    h = anOrderApp({ issuer, products: [tent] });
  });

  for (const id of pathBreakingIds) {
    it(`refuses the product id ${JSON.stringify(id.slice(0, 20))} with 400, naming the field`, async () => {
      const before = h.snapshot();
      const res = await request(h.app)
        .post('/orders')
        .set('Authorization', await h.authorization(ada))
        .send({
          items: [
            { productId: 'tent-2p', quantity: 1 },
            { productId: id, quantity: 1 },
          ],
        });

      const names = invalidParamNames(expectProblem(res, 400, 'invalid-request'));
      expect(new Set(names)).to.deep.equal(new Set(['items.1.productId']));
      expect(h.snapshot()).to.deep.equal(before);
    });
  }

  for (const id of pathBreakingIds.filter((i) => i && !i.includes('/') && !/^\.\.?$/.test(i))) {
    it(`answers the order id ${JSON.stringify(id.slice(0, 20))} in the path with 404, naming it`, async () => {
      const res = await request(h.app)
        .get(`/orders/${encodeURIComponent(id)}`)
        .set('Authorization', await h.authorization(ada));

      expect(invalidParamNames(expectProblem(res, 404, 'not-found'))).to.deep.equal(['id']);
    });
  }

  it('answers an encoded / in the order id with 404 too', async () => {
    const res = await request(h.app)
      .get('/orders/a%2Fb')
      .set('Authorization', await h.authorization(ada));
    expect(invalidParamNames(expectProblem(res, 404, 'not-found'))).to.deep.equal(['id']);
  });

  it('refuses a token whose sub breaks the rule: it becomes a document id downstream', async () => {
    const token = await issuer.token({ sub: 'customers/ada', email: 'ada@example.com' });
    const res = await request(h.app)
      .post('/orders')
      .set('Authorization', bearer(token))
      .send({ items: [{ productId: 'tent-2p', quantity: 1 }] });
    expect(expectProblem(res, 401, 'unauthenticated').detail).to.contain('sub');
  });

  it('accepts ids at the edge of the rule', async () => {
    const edge = aProduct({ id: `A_${'z'.repeat(124)}-9`, stock: 1 });
    h.store.products.set(edge.id, edge);
    await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send({ items: [{ productId: edge.id, quantity: 1 }] })
      .expect(201);
  });
});
