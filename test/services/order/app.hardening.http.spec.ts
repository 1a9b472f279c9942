import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { maxAmountMinor } from '@orderflow/platform';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, bearer, type TestIssuer } from '../../support/identity.js';
import { capturingLogger } from '../../support/logger.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem } from '../../support/problem.js';
import { deferred, eventually } from '../../support/async.js';

describe('POST /orders refuses, before anything is written, what could not complete', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;
  const ada = aCustomer({ id: 'customer-ada' });

  before(async () => {
    issuer = await aTestIssuer();
  });

  const order = async (productId: string, quantity = 1, authorization?: string) =>
    request(h.app)
      .post('/orders')
      .set('Authorization', authorization ?? (await h.authorization(ada)))
      .send({ items: [{ productId, quantity }] });

  const cases = [
    {
      name: 'a token whose email the event schema refuses',
      product: aProduct({ id: 'p' }),
      send: async () =>
        order('p', 1, bearer(await issuer.token({ sub: 'c-1', email: 'abc..def@example.jp' }))),
      status: 401,
      code: 'unauthenticated',
    },
    {
      name: 'a catalog entry that would make an invalid event (no seller)',
      product: aProduct({ id: 'p', sellerId: '' }),
      send: () => order('p'),
      status: 422,
      code: 'invalid-order',
    },
    {
      name: 'a price in a currency that is not ISO 4217',
      product: aProduct({ id: 'p', currency: 'XYZ' }),
      send: () => order('p'),
      status: 422,
      code: 'invalid-order',
    },
    {
      name: 'a price that is not whole minor units',
      product: aProduct({ id: 'p', priceCents: 12.5 }),
      send: () => order('p'),
      status: 422,
      code: 'invalid-order',
    },
    {
      name: 'a line over the maximum amount',
      product: aProduct({ id: 'p', priceCents: maxAmountMinor, stock: 10 }),
      send: () => order('p', 2),
      status: 422,
      code: 'amount-too-large',
    },
    {
      name: 'a price that no sum could hold exactly',
      product: aProduct({ id: 'p', priceCents: Number.MAX_SAFE_INTEGER, stock: 1000 }),
      send: () => order('p', 1000),
      status: 422,
      code: 'amount-too-large',
    },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      h = anOrderApp({ issuer, products: [c.product] });
      const before = h.snapshot();
      expectProblem(await c.send(), c.status, c.code);
      expect(h.snapshot()).to.deep.equal(before);
      expect(h.store.idempotencyKeys.size).to.equal(0);
    });
  }

  it('takes an order totalling exactly the maximum', async () => {
    const half = aProduct({ id: 'half', priceCents: maxAmountMinor / 2, stock: 2 });
    h = anOrderApp({ issuer, products: [half] });
    const res = await order('half', 2);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((res.body as { totalCents: number }).totalCents).to.equal(maxAmountMinor);
  });
});

describe('malformed and aborted requests', () => {
  let issuer: TestIssuer;

  before(async () => {
    issuer = await aTestIssuer();
  });

  it('answers a path that does not decode with 400, not 500', async () => {
    const { logger, lines } = capturingLogger();
    const h = anOrderApp({ issuer, deps: { logger } });
    const res = await request(h.app)
      .get('/orders/%E0%A4%A')
      .set('Authorization', await h.authorization(aCustomer()));
    expectProblem(res, 400, 'invalid-request');
    expect(lines.filter((l) => l.severity === 'ERROR')).to.deep.equal([]);
  });

  /** Sends half a body, and closes the connection once `ready` says the server got that far. */
  async function abortedUpload(h: OrderAppHarness, ready: (req: IncomingMessage) => boolean) {
    const server = h.app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      let received: IncomingMessage | undefined;
      server.on('request', (req: IncomingMessage) => (received = req));
      const client = httpRequest({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: '/orders',
        headers: {
          authorization: await h.authorization(aCustomer()),
          'content-type': 'application/json',
          'content-length': '1000',
        },
      });
      client.on('error', () => undefined);
      client.write('{"items":[{"productId":"p",');
      await eventually(() => received !== undefined && ready(received));
      client.destroy();
      await eventually(() => received?.complete === false && received.destroyed);
    } finally {
      server.close();
    }
  }

  const moments = [
    {
      name: 'while the body is read',
      ready: (req: IncomingMessage) => req.listenerCount('data') > 0,
    },
    { name: 'before the body is read', ready: () => true },
  ];
  for (const { name, ready } of moments) {
    it(`logs an upload aborted ${name} at INFO, as a client error, and writes nothing`, async () => {
      const { logger, lines } = capturingLogger();
      const h = anOrderApp({ issuer, products: [aProduct({ id: 'p' })], deps: { logger } });
      const before = h.snapshot();

      await abortedUpload(h, ready);

      await eventually(() => lines.some((l) => l.message === 'client aborted the request'));
      const aborted = lines.find((l) => l.message === 'client aborted the request');
      expect(aborted?.severity).to.equal('INFO');
      expect(lines.filter((l) => l.severity === 'ERROR')).to.deep.equal([]);
      expect(h.snapshot()).to.deep.equal(before);
    });
  }

  it('logs an upload whose connection closed before the app began its body at INFO too', async () => {
    const { logger, lines } = capturingLogger();
    // Authentication holds the request until the server has seen the client go: the body is
    // then no longer readable at all, as on a loaded instance.
    const closed = deferred();
    const authenticator = {
      authenticate: async () => {
        await closed.promise;
        return aCustomer();
      },
    };
    const h = anOrderApp({
      issuer,
      products: [aProduct({ id: 'p' })],
      deps: { logger, authenticator },
    });
    const before = h.snapshot();

    await abortedUpload(h, () => true);
    closed.resolve();

    await eventually(() => lines.some((l) => l.message === 'client aborted the request'));
    expect(lines.filter((l) => l.severity === 'ERROR')).to.deep.equal([]);
    expect(h.snapshot()).to.deep.equal(before);
  });
});
