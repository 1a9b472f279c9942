import { expect } from 'chai';
import request from 'supertest';
import { fromMessage, orderPlacedType, orderPlacedV1Schema, toMessage } from '@orderflow/events';
import type { OrderPlacedEvent } from '../../support/events.js';
import type { orderResource } from '@orderflow/order/http/order-resource';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, bearer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, type OrderAppHarness } from '../../support/order-app.js';
import { expectProblem, invalidParamNames } from '../../support/problem.js';
import { recordTelemetry } from '../../support/tracing.js';

type OrderResource = ReturnType<typeof orderResource>;

const ada = aCustomer({ id: 'customer-ada', email: 'ada@example.com' });
const mug = aProduct({ id: 'mug', sellerId: 'pottery', name: 'Mug', priceCents: 1250, stock: 10 });
const scarf = aProduct({
  id: 'scarf',
  sellerId: 'wool',
  name: 'Scarf',
  priceCents: 4500,
  stock: 2,
});
const teapot = aProduct({ id: 'teapot', name: 'Teapot', currency: 'JPY', priceCents: 3000 });

describe('POST /orders', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;
  let authorization: string;

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(async () => {
    h = anOrderApp({ issuer, products: [mug, scarf, teapot] });
    authorization = await h.authorization(ada);
  });

  const post = (body: unknown, auth = authorization) =>
    request(h.app)
      .post('/orders')
      .set('Authorization', auth)
      .send(body as object);

  const twoSellers = {
    items: [
      { productId: 'mug', quantity: 2 },
      { productId: 'scarf', quantity: 1 },
    ],
  };

  describe('a valid order', () => {
    it('answers 201 with the order priced from the catalog, and its Location', async () => {
      const res = await post(twoSellers).expect(201);

      const order = res.body as OrderResource;
      expect(res.headers.location).to.equal(`/orders/${order.id}`);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(order).to.deep.equal({
        id: order.id,
        status: 'placed',
        customer: { id: 'customer-ada', email: 'ada@example.com' },
        lines: [
          {
            productId: 'mug',
            sellerId: 'pottery',
            name: 'Mug',
            quantity: 2,
            unitPriceCents: 1250,
            lineTotalCents: 2500,
          },
          {
            productId: 'scarf',
            sellerId: 'wool',
            name: 'Scarf',
            quantity: 1,
            unitPriceCents: 4500,
            lineTotalCents: 4500,
          },
        ],
        totalCents: 7000,
        currency: 'EUR',
        createdAt: h.clock.now().toISOString(),
        parts: [
          { sellerId: 'pottery', state: 'pending' },
          { sellerId: 'wool', state: 'pending' },
        ],
        history: [
          {
            sequence: 1,
            at: h.clock.now().toISOString(),
            action: 'placed',
            by: { kind: 'customer', id: 'customer-ada' },
          },
        ],
      });
      expect(order.id).to.be.a('string').that.is.not.empty;
    });

    it('reduces the stock of every line', async () => {
      await post(twoSellers).expect(201);
      expect(h.snapshot().stock).to.deep.equal({ mug: 8, scarf: 1, teapot: 10 });
    });

    it('publishes order.placed with the same order, valid against the events schema', async () => {
      const order = (await post(twoSellers).expect(201)).body as OrderResource;

      expect(h.publisher.published).to.have.length(1);
      const { event } = h.publisher.published[0]!;
      expect(event.type).to.equal(orderPlacedType);
      expect(event.subject).to.equal(`orders/${order.id}`);
      expect(event.id).not.to.equal(order.id);
      expect(orderPlacedV1Schema.parse(event.data)).to.deep.equal({
        orderId: order.id,
        customer: order.customer,
        lines: order.lines,
        totalCents: order.totalCents,
        currency: order.currency,
        placedAt: order.createdAt,
      });
      expect(fromMessage(toMessage(event))).to.deep.equal(event);
    });

    it('keeps the event in the outbox, marked published', async () => {
      await post(twoSellers).expect(201);
      const [entry] = [...h.store.outbox.values()];
      expect(entry?.event).to.deep.equal(h.publisher.published[0]?.event);
      expect(entry?.publishedAt).to.be.instanceOf(Date);
    });

    it('accepts a JSON content type with a charset', async () => {
      await request(h.app)
        .post('/orders')
        .set('Authorization', authorization)
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify(twoSellers))
        .expect(201);
    });
  });

  describe('a refused order changes nothing', () => {
    const cases: {
      name: string;
      send: () => request.Test;
      status: number;
      code: Parameters<typeof expectProblem>[2];
      expect?: (problem: ReturnType<typeof expectProblem>) => void;
    }[] = [
      {
        name: 'every failing field of an invalid body',
        send: () =>
          post({
            items: [
              { productId: '', quantity: 0 },
              { productId: 'mug', quantity: 1.5 },
            ],
          }),
        status: 400,
        code: 'invalid-request',
        expect: (problem) => {
          expect(invalidParamNames(problem)).to.have.members([
            'items.0.productId',
            'items.0.quantity',
            'items.1.quantity',
          ]);
        },
      },
      {
        name: 'a product listed twice',
        send: () =>
          post({
            items: [
              { productId: 'mug', quantity: 1 },
              { productId: 'mug', quantity: 1 },
            ],
          }),
        status: 400,
        code: 'invalid-request',
        expect: (problem) => {
          expect(invalidParamNames(problem)).to.deep.equal(['items']);
        },
      },
      {
        name: 'a body that is not valid JSON',
        send: () =>
          request(h.app)
            .post('/orders')
            .set('Authorization', authorization)
            .set('Content-Type', 'application/json')
            .send('{"items": ['),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a bare JSON string',
        send: () =>
          request(h.app)
            .post('/orders')
            .set('Authorization', authorization)
            .set('Content-Type', 'application/json')
            .send('"mug"'),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'an Idempotency-Key over 255 characters',
        send: () => post(twoSellers).set('Idempotency-Key', 'k'.repeat(256)),
        status: 400,
        code: 'invalid-request',
        expect: (problem) => {
          expect(invalidParamNames(problem)).to.deep.equal(['Idempotency-Key']);
        },
      },
      {
        name: 'more of a product than is in stock',
        send: () =>
          post({
            items: [
              { productId: 'mug', quantity: 1 },
              { productId: 'scarf', quantity: 3 },
            ],
          }),
        status: 409,
        code: 'insufficient-stock',
        expect: (problem) => {
          expect(problem).to.include({ productId: 'scarf', available: 2, requested: 3 });
        },
      },
      {
        name: 'an unknown product',
        send: () =>
          post({
            items: [
              { productId: 'mug', quantity: 1 },
              { productId: 'ghost', quantity: 1 },
            ],
          }),
        status: 422,
        code: 'unknown-product',
        expect: (problem) => {
          expect(problem).to.include({ productId: 'ghost' });
        },
      },
      {
        name: 'products in two currencies',
        send: () =>
          post({
            items: [
              { productId: 'mug', quantity: 1 },
              { productId: 'teapot', quantity: 1 },
            ],
          }),
        status: 422,
        code: 'mixed-currencies',
      },
      {
        name: 'a body over 16 kB',
        send: () => post({ ...twoSellers, padding: 'x'.repeat(17 * 1024) }),
        status: 413,
        code: 'payload-too-large',
      },
      {
        name: 'a body that is not JSON',
        send: () =>
          request(h.app)
            .post('/orders')
            .set('Authorization', authorization)
            .set('Content-Type', 'text/plain')
            .send(JSON.stringify(twoSellers)),
        status: 415,
        code: 'unsupported-media-type',
      },
      {
        name: 'a form',
        send: () =>
          request(h.app)
            .post('/orders')
            .set('Authorization', authorization)
            .type('form')
            .send({ productId: 'mug', quantity: '1' }),
        status: 415,
        code: 'unsupported-media-type',
      },
      {
        name: 'JSON in an unsupported charset',
        send: () =>
          request(h.app)
            .post('/orders')
            .set('Authorization', authorization)
            .set('Content-Type', 'application/json; charset=latin1')
            .send(JSON.stringify(twoSellers)),
        status: 415,
        code: 'unsupported-media-type',
      },
    ];

    for (const { name, send, status, code, expect: check } of cases) {
      it(`${status} ${code}: ${name}`, async () => {
        const before = h.snapshot();
        const problem = expectProblem(await send(), status, code);
        expect(problem.instance).to.equal('/orders');
        check?.(problem);
        expect(h.snapshot()).to.deep.equal(before);
      });
    }
  });

  describe('authentication', () => {
    const tokenCases: { name: string; authorization: () => Promise<string> }[] = [
      { name: 'no Authorization header', authorization: () => Promise.resolve('') },
      {
        name: 'a scheme other than Bearer',
        authorization: async () => `Basic ${await issuer.token({ sub: 'x' })}`,
      },
      {
        name: 'a token that is not a JWT',
        authorization: () => Promise.resolve('Bearer not-a-token'),
      },
      { name: 'an expired token', authorization: () => h.authorization(ada, { expiresIn: '-1m' }) },
      {
        name: 'another issuer',
        authorization: () => h.authorization(ada, { issuer: 'https://evil.test' }),
      },
      {
        name: 'another audience',
        authorization: () => h.authorization(ada, { audience: 'another-api' }),
      },
      {
        name: 'a signature by an unknown key',
        authorization: () => h.authorization(ada, { forged: true }),
      },
      {
        name: 'no email claim',
        authorization: async () => bearer(await issuer.token({ sub: 'customer-ada' })),
      },
      {
        name: 'no subject',
        authorization: async () => bearer(await issuer.token({ email: 'ada@example.com' })),
      },
    ];

    for (const { name, authorization: auth } of tokenCases) {
      it(`401 for ${name}, changing nothing`, async () => {
        const before = h.snapshot();
        const value = await auth();
        const req = request(h.app).post('/orders').send(twoSellers);
        expectProblem(
          await (value ? req.set('Authorization', value) : req),
          401,
          'unauthenticated',
        );
        expect(h.snapshot()).to.deep.equal(before);
      });
    }

    it('places the order for the customer the token names', async () => {
      const bob = aCustomer({ id: 'customer-bob', email: 'bob@example.com' });
      const res = await post(twoSellers, await h.authorization(bob)).expect(201);
      expect((res.body as OrderResource).customer).to.deep.equal(bob);
      expect((h.publisher.published[0]?.event as OrderPlacedEvent).data.customer).to.deep.equal(
        bob,
      );
    });
  });

  describe('concurrent orders for the last units', () => {
    it('sells exactly the stock: 5 of 20 succeed, the rest get 409, stock ends at 0', async () => {
      const flash = aProduct({ id: 'flash', stock: 5 });
      h.store.products.set(flash.id, flash);
      const body = { items: [{ productId: 'flash', quantity: 1 }] };

      const responses = await Promise.all(Array.from({ length: 20 }, () => post(body)));

      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(5);
      expect(statuses.filter((s) => s === 409)).to.have.length(15);
      expect(h.store.products.get('flash')?.stock).to.equal(0);
      expect(h.store.orders.size).to.equal(5);
      expect(h.publisher.published).to.have.length(5);
    });
  });
});

describe('POST /orders, traced', () => {
  const telemetry = recordTelemetry();
  let issuer: TestIssuer;

  before(async () => {
    issuer = await aTestIssuer();
  });

  it('saves the order transaction span with the event, for a late publish to join', async () => {
    const h = anOrderApp({ issuer, products: [mug] });
    const response = await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send({ items: [{ productId: 'mug', quantity: 1 }] })
      .expect(201);

    const span = telemetry.span('order transaction');
    expect(span.attributes).to.include({
      'orderflow.order_id': (response.body as OrderResource).id,
      'orderflow.outcome': 'placed',
    });
    const [entry] = [...h.store.outbox.values()];
    const { traceId, spanId } = span.spanContext();
    expect(entry?.traceparent).to.equal(`00-${traceId}-${spanId}-01`);
    // Published within the request: the publisher takes the active trace, no origin.
    expect(h.publisher.published[0]?.origin).to.equal(undefined);
  });
});
