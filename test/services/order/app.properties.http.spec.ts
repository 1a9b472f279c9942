import type { Server } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, bearer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import {
  aBodyText,
  aContentEncoding,
  aContentType,
  aHeaderValue,
  anId,
  aPath,
} from '../../support/arbitraries.js';

const known = ['tent-2p', 'helmet', 'yen-cup'];

/** Whatever was sent: never a 5xx, and every error is a problem document. */
function expectNoServerError(res: Response): void {
  expect(res.status, `${res.status} ${res.text}`).to.be.below(500);
  if (res.status >= 400)
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
}

describe('the order API under generated requests (fast-check)', function () {
  this.timeout(120_000);
  let h: OrderAppHarness;
  let server: Server;
  let authorizations: string[];

  before(async () => {
    const issuer = await aTestIssuer();
    h = anOrderApp({
      issuer,
      products: [
        aProduct({ id: 'tent-2p', stock: 1_000_000 }),
        aProduct({ id: 'helmet', stock: 1_000_000 }),
        aProduct({ id: 'yen-cup', currency: 'JPY', stock: 1_000_000 }),
      ],
    });
    server = h.app.listen(0, '127.0.0.1');
    const ada = aCustomer({ id: 'customer-ada' });
    authorizations = [
      await h.authorization(ada),
      await h.authorization(ada, { forged: true }),
      await h.authorization(ada, { expiresIn: '-1h' }),
      await h.authorization(ada, { audience: 'someone-else' }),
      bearer(await issuer.token({ sub: 'c-1', email: 'abc..def@example.jp' })),
      bearer(await issuer.token({ sub: '__c__', email: 'c@example.com' })),
      bearer(await issuer.token({ sub: 'c-2', email: 'c@example.com', email_verified: false })),
      bearer(await issuer.token({ email: 'c@example.com' })),
    ];
  });

  after(() => {
    server.close();
  });

  /** Everything a refused request could have changed. */
  const written = () => ({ ...h.snapshot(), keys: h.store.idempotencyKeys.size });

  const anAuthorization = () =>
    fc.oneof(
      fc.constantFrom(...authorizations),
      aHeaderValue,
      aHeaderValue.map((v) => `Bearer ${v}`),
      fc.constant(undefined),
    );

  it('POST /orders: thousands of bodies and headers, never a 5xx, a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        aBodyText(known),
        anAuthorization(),
        aContentType,
        aContentEncoding,
        fc.option(fc.oneof(aHeaderValue, fc.constantFrom('k1', 'k2')), { nil: undefined }),
        async (body, authorization, contentType, contentEncoding, key) => {
          const before = written();
          const req = request(server).post('/orders').set('Content-Type', contentType);
          if (authorization !== undefined) void req.set('Authorization', authorization);
          if (contentEncoding !== undefined) void req.set('Content-Encoding', contentEncoding);
          if (key !== undefined) void req.set('Idempotency-Key', key);
          const res = await req.send(body);

          expectNoServerError(res);
          if (res.status !== 201) expect(written()).to.deep.equal(before);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('GET under generated paths and ids, with and without tokens: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(aPath(known), anAuthorization(), async (path, authorization) => {
        const before = written();
        const req = request(server).get(path);
        if (authorization !== undefined) void req.set('Authorization', authorization);
        const res = await req;

        expectNoServerError(res);
        expect(written()).to.deep.equal(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('an order id in the path that breaks the id rule is a 404 naming it, never a store read', async () => {
    const reads: string[] = [];
    const findOrder = h.store.findOrder.bind(h.store);
    h.store.findOrder = (id) => {
      reads.push(id);
      return findOrder(id);
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          // Not the empty id: `/orders/` is the listing, GET /orders.
          anId(known).filter(
            (id) => id !== '' && (!/^[\w-]{1,128}$/.test(id) || /^__.*__$/.test(id)),
          ),
          async (id) => {
            const res = await request(server)
              .get(`/orders/${encodeURIComponent(id)}`)
              .set('Authorization', authorizations[0]!);
            expect(res.status).to.equal(404);
            expect(res.body).to.have.nested.property('invalidParams[0].name', 'id');
          },
        ),
        { numRuns: 300 },
      );
      expect(reads).to.deep.equal([]);
    } finally {
      h.store.findOrder = findOrder;
    }
  });
});
