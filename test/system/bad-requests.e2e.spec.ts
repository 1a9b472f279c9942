import { expect } from 'chai';
import { call, stockOf } from './support/api.js';
import { aCatalog, aCustomer, firestore, type TestCatalog } from './support/clients.js';

interface Case {
  name: string;
  status: number;
  code: string;
  request: (
    catalog: TestCatalog,
    token: string,
  ) => { body?: string | object; headers?: Record<string, string>; token?: string };
  invalid?: string[];
}

const item = (catalog: TestCatalog, index = 0, quantity = 1) => ({
  productId: catalog.products[index]!.id,
  quantity,
});

const cases: Case[] = [
  {
    name: 'no token',
    status: 401,
    code: 'unauthenticated',
    request: (c) => ({ body: { items: [item(c)] }, token: '' }),
  },
  {
    name: 'a forged token',
    status: 401,
    code: 'unauthenticated',
    request: (c, token) => ({ body: { items: [item(c)] }, token: `${token.slice(0, -4)}AAAA` }),
  },
  {
    name: 'a body that is not JSON',
    status: 415,
    code: 'unsupported-media-type',
    request: () => ({ body: 'items=1', headers: { 'content-type': 'text/plain' } }),
  },
  {
    name: 'malformed JSON',
    status: 400,
    code: 'invalid-request',
    request: () => ({ body: '{"items": [' }),
  },
  {
    name: 'every invalid field at once',
    status: 400,
    code: 'invalid-request',
    request: (c) => ({
      body: {
        items: [
          { productId: c.products[0]!.id, quantity: 0 },
          { productId: '', quantity: 1.5 },
          { productId: c.products[1]!.id, quantity: 1, priceCents: 1 },
        ],
      },
    }),
    invalid: ['items.0.quantity', 'items.1.productId', 'items.1.quantity', 'items.2'],
  },
  {
    name: 'no items',
    status: 400,
    code: 'invalid-request',
    request: () => ({ body: { items: [] } }),
    invalid: ['items'],
  },
  {
    name: 'a body over the limit',
    status: 413,
    code: 'payload-too-large',
    request: (c) => ({ body: { items: [item(c)], padding: 'x'.repeat(20_000) } }),
  },
  {
    name: 'an unknown product',
    status: 422,
    code: 'unknown-product',
    request: (c) => ({ body: { items: [item(c), { productId: 'no-such-product', quantity: 1 }] } }),
  },
  {
    name: 'mixed currencies',
    status: 422,
    code: 'mixed-currencies',
    request: (c) => ({ body: { items: [item(c, 0), item(c, 2)] } }),
  },
  {
    name: 'more than the stock',
    status: 409,
    code: 'insufficient-stock',
    request: (c) => ({ body: { items: [item(c, 0), item(c, 1, 4)] } }),
  },
];

describe('bad requests get a problem document and write nothing', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.status}`, async () => {
      const catalog = await aCatalog({
        products: [{ stock: 5 }, { stock: 3 }, { currency: 'USD', stock: 5 }],
      });
      const customer = await aCustomer();
      const { token = customer.token, ...request } = testCase.request(catalog, customer.token);

      const response = await call('POST', '/orders', { ...request, ...(token ? { token } : {}) });

      expect(response.status).to.equal(testCase.status);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(response.body).to.include({ status: testCase.status, code: testCase.code });
      if (testCase.invalid) {
        const names = (response.body.invalidParams as { name: string }[]).map((p) => p.name);
        expect(names).to.have.members(testCase.invalid);
      }
      const stock = await Promise.all(catalog.products.map((p) => stockOf(p.id)));
      expect(stock).to.deep.equal([5, 3, 5]);
      const orders = await firestore()
        .collection('orders')
        .where('customer.id', '==', customer.id)
        .get();
      expect(orders.size).to.equal(0);
    });
  }

  it('tells which product is short and how many are left', async () => {
    const catalog = await aCatalog({ products: [{ stock: 2 }] });
    const customer = await aCustomer();
    const response = await call('POST', '/orders', {
      token: customer.token,
      body: { items: [item(catalog, 0, 3)] },
    });
    expect(response.body).to.include({ productId: catalog.products[0]!.id, available: 2 });
  });
});
