import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import request from 'supertest';
import { problems } from '@orderflow/platform';
import { contractViolation, document } from '../../support/contract.js';
import { aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp } from '../../support/order-app.js';
import { routesOf } from '../../support/routes.js';

describe('GET /openapi.json', () => {
  let issuer: TestIssuer;
  let served: typeof document;

  before(async () => {
    issuer = await aTestIssuer();
    const res = await request(anOrderApp({ issuer }).app).get('/openapi.json').expect(200);
    served = res.body as typeof document;
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(served as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(served.openapi).to.equal('3.1.0');
    // The validator does reject what is not OpenAPI: a path whose operation has no responses' shape.
    const broken = { ...served, paths: { '/x': { get: { responses: 'none' } } } };
    expect((await new Validator().validate(broken)).valid).to.equal(false);
  });

  it('describes every route the app serves, and no other', () => {
    const described = Object.entries(served.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method} ${path}`),
    );
    const routes = routesOf(anOrderApp({ issuer }).app)
      // The reference page at /docs is this document rendered, not part of the API.
      .filter((r) => !r.path.startsWith('/docs'))
      .map((r) => `${r.method} ${r.path}`);
    // The relay's router is mounted, not registered on the app itself: it must be seen too.
    expect(routes).to.include('post /internal/outbox/relay');
    expect(described).to.have.members(routes);
  });

  it('names every problem code of the error table, and answers errors as problems', () => {
    const problem = served.components?.schemas?.Problem as {
      properties: { code: { enum: string[] }; type: { enum: string[] } };
    };
    expect(problem.properties.code.enum).to.have.members(Object.keys(problems));
    expect(problem.properties.type.enum).to.include('urn:orderflow:problem:insufficient-stock');
    for (const [path, item] of Object.entries(served.paths ?? {})) {
      for (const [method, operation] of Object.entries(item as object)) {
        const responses = (operation as { responses: Record<string, { content?: object }> })
          .responses;
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).to.deep.equal(
            status === '503' && path.startsWith('/internal')
              ? ['application/json']
              : ['application/problem+json'],
          );
        }
      }
    }
  });

  it('is what the HTTP tests check every answer against: a mismatch fails the request', async () => {
    expect(
      contractViolation('GET', '/products', 200, 'application/json', {
        products: [{ id: 'vase' }],
        nextCursor: null,
      }),
    ).to.match(/must have required property/);
    expect(contractViolation('GET', '/orders/:id', 409, 'application/problem+json', {})).to.match(
      /does not list/,
    );

    const h = anOrderApp({ issuer, products: [aProduct({ id: 'vase' })] });
    // A product as a broken adapter might hand it over: the stock is not a number.
    h.store.products.set('vase', { ...h.store.products.get('vase')!, stock: 'many' as never });
    const res = await request(h.app).get('/products');
    expect(res.status).to.equal(500);
    expect(res.text).to.match(/^response does not match \/openapi.json: GET \/products 200/);
  });
});
