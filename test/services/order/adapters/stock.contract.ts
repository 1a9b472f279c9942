import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Product } from '@orderflow/order/domain/order';
import type { OrderItem } from '@orderflow/order/domain/order';
import type { OrderStore, PlaceOrderOutcome } from '@orderflow/order/ports';
import { aCustomer, aProduct } from '../../../support/catalog.js';

export interface StockUnderTest {
  store: OrderStore;
  /** Adds the product with its `stock` spread over `shards` (1: in the product itself). */
  addProduct(product: Product, shards: number): Promise<void>;
  /** Every unit the product holds, however it is laid out. */
  stockOf(productId: string): Promise<number>;
  orderCount(): Promise<number>;
}

/**
 * Places the order, trying again on `busy` a bounded number of times with the same
 * Idempotency-Key, as the README tells clients: a commit cut off by the deadline may have been
 * applied, and the key then answers with its order.
 */
async function buy(store: OrderStore, items: OrderItem[]): Promise<string> {
  const customer = aCustomer();
  const idempotency = { customerId: customer.id, key: randomUUID(), requestHash: 'same body' };
  for (let attempt = 1; attempt <= 20; attempt++) {
    const outcome = await store
      .placeOrder({
        orderId: randomUUID(),
        eventId: randomUUID(),
        customer,
        items,
        now: new Date(),
        idempotency,
      })
      .then(
        // A key that placed the order in an attempt answered `busy` counts once, as placed.
        (placed: PlaceOrderOutcome) => (placed.kind === 'replayed' ? 'placed' : placed.kind),
        (error: unknown) => (error as { code?: string }).code ?? String(error),
      );
    if (outcome !== 'busy') return outcome;
  }
  return 'still busy';
}

const tally = (outcomes: string[]) =>
  Object.fromEntries(
    [...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]),
  );

/** Stock over shards or in one document, under many concurrent buyers (each test a fresh store). */
export function keepsStockExact(make: () => Promise<StockUnderTest>, buyers: number): void {
  let subject: StockUnderTest;
  beforeEach(async () => {
    subject = await make();
  });

  it('lists the sum of the shards as the stock', async () => {
    const product = aProduct({ stock: 23 });
    await subject.addProduct(product, 4);
    const page = await subject.store.listProducts({ limit: 10 });
    expect(page.items.find((p) => p.id === product.id)?.stock).to.equal(23);
  });

  it('takes a quantity larger than one shard holds from several', async () => {
    const product = aProduct({ stock: 8 });
    await subject.addProduct(product, 4);
    expect(await buy(subject.store, [{ productId: product.id, quantity: 7 }])).to.equal('placed');
    expect(await subject.stockOf(product.id)).to.equal(1);
    expect(await buy(subject.store, [{ productId: product.id, quantity: 2 }])).to.equal(
      'insufficient-stock',
    );
  });

  for (const shards of [1, 4]) {
    const units = Math.floor(buyers / 2);
    it(`sells exactly ${units} units to ${buyers} buyers at once, ${shards} shard(s)`, async function () {
      this.timeout(300_000);
      const product = aProduct({ stock: units });
      await subject.addProduct(product, shards);
      const outcomes = await Promise.all(
        Array.from({ length: buyers }, () =>
          buy(subject.store, [{ productId: product.id, quantity: 1 }]),
        ),
      );
      expect(tally(outcomes)).to.deep.equal({
        placed: units,
        'insufficient-stock': buyers - units,
      });
      expect(await subject.stockOf(product.id)).to.equal(0);
      expect(await subject.orderCount()).to.equal(units);
    });
  }

  it('keeps an order of several lines all-or-nothing under contention', async function () {
    this.timeout(300_000);
    const [hot, single] = [
      aProduct({ stock: buyers }),
      aProduct({ stock: Math.floor(buyers / 4) }),
    ];
    await subject.addProduct(hot, 4);
    await subject.addProduct(single, 1);
    const outcomes = await Promise.all(
      Array.from({ length: buyers / 2 }, () =>
        buy(subject.store, [
          { productId: hot.id, quantity: 1 },
          { productId: single.id, quantity: 1 },
        ]),
      ),
    );
    const placed = outcomes.filter((o) => o === 'placed').length;
    expect(placed).to.equal(Math.floor(buyers / 4));
    expect(
      outcomes.filter((o) => o !== 'placed').every((o) => o === 'insufficient-stock'),
    ).to.equal(true);
    expect(await subject.stockOf(hot.id)).to.equal(buyers - placed);
    expect(await subject.stockOf(single.id)).to.equal(0);
  });
}
