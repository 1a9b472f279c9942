import { expect } from 'chai';
import { AppError } from '@orderflow/platform/errors';
import { placeOrder, type OrderItem, type Product } from '@orderflow/order/domain/order';
import { aCustomer, aProduct, catalogOf } from '../../../support/catalog.js';

const now = new Date('2025-03-01T10:00:00.000Z');
const customer = aCustomer({ id: 'customer-ada', email: 'ada@example.com' });

const mug = aProduct({ id: 'mug', sellerId: 'pottery', name: 'Mug', priceCents: 1250, stock: 10 });
const bowl = aProduct({ id: 'bowl', sellerId: 'pottery', name: 'Bowl', priceCents: 899, stock: 3 });
const scarf = aProduct({
  id: 'scarf',
  sellerId: 'wool',
  name: 'Scarf',
  priceCents: 4500,
  stock: 1,
});

function place(items: OrderItem[], ...products: Product[]) {
  return placeOrder({ orderId: 'order-1', customer, items, products: catalogOf(...products), now });
}

function rejection(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  expect.fail('expected an AppError');
}

describe('placeOrder', () => {
  it('prices every line from the catalog and totals them', () => {
    const { order } = place(
      [
        { productId: 'mug', quantity: 2 },
        { productId: 'bowl', quantity: 3 },
      ],
      mug,
      bowl,
    );

    expect(order).to.deep.equal({
      id: 'order-1',
      status: 'placed',
      customer,
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
          productId: 'bowl',
          sellerId: 'pottery',
          name: 'Bowl',
          quantity: 3,
          unitPriceCents: 899,
          lineTotalCents: 2697,
        },
      ],
      totalCents: 5197,
      currency: 'EUR',
      createdAt: '2025-03-01T10:00:00.000Z',
    });
  });

  it('holds the products of several sellers in one order', () => {
    const { order } = place(
      [
        { productId: 'mug', quantity: 1 },
        { productId: 'scarf', quantity: 1 },
      ],
      mug,
      scarf,
    );

    expect(order.lines.map((l) => l.sellerId)).to.deep.equal(['pottery', 'wool']);
    expect(order.totalCents).to.equal(1250 + 4500);
  });

  it('returns the stock each product is left with', () => {
    const { stock } = place(
      [
        { productId: 'mug', quantity: 4 },
        { productId: 'bowl', quantity: 3 },
      ],
      mug,
      bowl,
    );

    expect(stock).to.deep.equal([
      { productId: 'mug', stock: 6 },
      { productId: 'bowl', stock: 0 },
    ]);
  });

  it('leaves the catalog entries it was given unchanged', () => {
    const product = aProduct({ id: 'mug', stock: 5 });
    place([{ productId: 'mug', quantity: 5 }], product);
    expect(product.stock).to.equal(5);
  });

  it('refuses a product the catalog does not have', () => {
    const error = rejection(() => place([{ productId: 'ghost', quantity: 1 }], mug));
    expect(error.code).to.equal('unknown-product');
    expect(error.extensions).to.deep.equal({ productId: 'ghost' });
  });

  it('refuses products priced in different currencies', () => {
    const yen = aProduct({ id: 'teapot', currency: 'JPY', priceCents: 3000 });
    const error = rejection(() =>
      place(
        [
          { productId: 'mug', quantity: 1 },
          { productId: 'teapot', quantity: 1 },
        ],
        mug,
        yen,
      ),
    );
    expect(error.code).to.equal('mixed-currencies');
    expect(error.extensions.currencies).to.have.members(['EUR', 'JPY']);
  });

  const stockCases = [
    { ordered: 4, stock: 3, fails: true },
    { ordered: 3, stock: 3, fails: false },
    { ordered: 1, stock: 0, fails: true },
  ];
  for (const { ordered, stock, fails } of stockCases) {
    it(`${fails ? 'refuses' : 'accepts'} ${ordered} of a product with ${stock} in stock`, () => {
      const product = aProduct({ id: 'bowl', stock });
      const order = () => place([{ productId: 'bowl', quantity: ordered }], product);
      if (!fails) {
        expect(order().stock).to.deep.equal([{ productId: 'bowl', stock: stock - ordered }]);
        return;
      }
      const error = rejection(order);
      expect(error.code).to.equal('insufficient-stock');
      expect(error.extensions).to.deep.equal({
        productId: 'bowl',
        available: stock,
        requested: ordered,
      });
    });
  }

  it('names the product that is short when another line is fine', () => {
    const error = rejection(() =>
      place(
        [
          { productId: 'mug', quantity: 1 },
          { productId: 'scarf', quantity: 2 },
        ],
        mug,
        scarf,
      ),
    );
    expect(error.extensions).to.include({ productId: 'scarf', available: 1 });
  });
});
