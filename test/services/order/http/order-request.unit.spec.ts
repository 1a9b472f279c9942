import { expect } from 'chai';
import { AppError } from '@orderflow/platform/errors';
import {
  fingerprint,
  maxLines,
  parseIdempotencyKey,
  parsePlaceOrderBody,
  type InvalidParam,
} from '@orderflow/order/http/order-request';

function invalidParams(body: unknown): InvalidParam[] {
  try {
    parsePlaceOrderBody(body);
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).to.equal('invalid-request');
    return appError.extensions.invalidParams as InvalidParam[];
  }
  expect.fail(`expected ${JSON.stringify(body)} to be refused`);
}

const item = (productId: string, quantity = 1) => ({ productId, quantity });

describe('parsePlaceOrderBody', () => {
  it('returns the items of a valid body', () => {
    expect(parsePlaceOrderBody({ items: [item('mug', 2), item('bowl')] })).to.deep.equal([
      item('mug', 2),
      item('bowl'),
    ]);
  });

  it(`accepts ${maxLines} lines and a quantity of 1000`, () => {
    const items = Array.from({ length: maxLines }, (_, i) => item(`p${i}`, 1000));
    expect(parsePlaceOrderBody({ items })).to.have.length(maxLines);
  });

  const cases: { name: string; body: unknown; fields: string[] }[] = [
    { name: 'null', body: null, fields: ['(body)'] },
    { name: 'an array', body: [], fields: ['(body)'] },
    { name: 'a string', body: 'items', fields: ['(body)'] },
    { name: 'no items', body: {}, fields: ['items'] },
    { name: 'items not a list', body: { items: 'mug' }, fields: ['items'] },
    { name: 'an empty list', body: { items: [] }, fields: ['items'] },
    {
      name: 'too many lines',
      body: { items: Array.from({ length: maxLines + 1 }, (_, i) => item(`p${i}`)) },
      fields: ['items'],
    },
    {
      name: 'an unknown top-level field',
      body: { items: [item('a')], coupon: 'X' },
      fields: ['(body)'],
    },
    {
      name: 'a price from the client',
      body: { items: [{ ...item('a'), priceCents: 1 }] },
      fields: ['items.0'],
    },
    { name: 'an empty product id', body: { items: [item('')] }, fields: ['items.0.productId'] },
    {
      name: 'a product id over 128',
      body: { items: [item('x'.repeat(129))] },
      fields: ['items.0.productId'],
    },
    {
      name: 'a numeric product id',
      body: { items: [{ productId: 7, quantity: 1 }] },
      fields: ['items.0.productId'],
    },
    { name: 'quantity 0', body: { items: [item('a', 0)] }, fields: ['items.0.quantity'] },
    { name: 'a negative quantity', body: { items: [item('a', -1)] }, fields: ['items.0.quantity'] },
    {
      name: 'a fractional quantity',
      body: { items: [item('a', 1.5)] },
      fields: ['items.0.quantity'],
    },
    {
      name: 'quantity over 1000',
      body: { items: [item('a', 1001)] },
      fields: ['items.0.quantity'],
    },
    {
      name: 'quantity as text',
      body: { items: [{ productId: 'a', quantity: '2' }] },
      fields: ['items.0.quantity'],
    },
    {
      name: 'a missing quantity',
      body: { items: [{ productId: 'a' }] },
      fields: ['items.0.quantity'],
    },
    {
      name: 'a product listed twice',
      body: { items: [item('a'), item('a', 2)] },
      fields: ['items'],
    },
    {
      name: 'several bad fields at once',
      body: { items: [item('', 0), item('b', 1.5), { quantity: 1 }] },
      fields: ['items.0.productId', 'items.0.quantity', 'items.1.quantity', 'items.2.productId'],
    },
  ];
  for (const { name, body, fields } of cases) {
    it(`refuses ${name}, naming ${fields.join(', ')}`, () => {
      const params = invalidParams(body);
      expect(params.map((p) => p.name)).to.have.members(fields);
      for (const param of params) expect(param.reason).to.be.a('string').that.is.not.empty;
    });
  }

  it('reports a bad line and a duplicate together', () => {
    const names = invalidParams({ items: [item('a'), item('a', 0)] }).map((p) => p.name);
    expect(names).to.have.members(['items.1.quantity', 'items']);
  });
});

describe('parseIdempotencyKey', () => {
  it('is absent when the header is', () => {
    expect(parseIdempotencyKey(undefined)).to.equal(undefined);
  });

  for (const key of ['k', 'a'.repeat(255), '7a1f0e2c-1b2d-4c2b-9a0e-3e1a2b3c4d5e']) {
    it(`accepts a key of ${key.length} characters`, () => {
      expect(parseIdempotencyKey(key)).to.equal(key);
    });
  }

  for (const key of ['', 'a'.repeat(256)]) {
    it(`refuses a key of ${key.length} characters`, () => {
      expect(() => parseIdempotencyKey(key))
        .to.throw(AppError)
        .with.property('code', 'invalid-request');
    });
  }
});

describe('fingerprint', () => {
  it('is the same whatever order the items come in', () => {
    expect(fingerprint([item('a', 1), item('b', 2), item('c', 3)])).to.equal(
      fingerprint([item('c', 3), item('a', 1), item('b', 2)]),
    );
  });

  const different = [
    { name: 'a quantity', other: [item('a', 2), item('b', 2)] },
    { name: 'a product', other: [item('a', 1), item('c', 2)] },
    { name: 'a line more', other: [item('a', 1), item('b', 2), item('c', 1)] },
  ];
  for (const { name, other } of different) {
    it(`changes with ${name}`, () => {
      expect(fingerprint([item('a', 1), item('b', 2)])).not.to.equal(fingerprint(other));
    });
  }

  it('does not confuse ids that join into the same text', () => {
    expect(fingerprint([item('a', 11)])).not.to.equal(fingerprint([item('a1', 1)]));
  });
});
