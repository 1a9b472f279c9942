import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Product } from '@orderflow/order/domain/order';
import type { OrderStore } from '@orderflow/order/ports';
import { aCustomer, aProduct } from '../../../support/catalog.js';

export interface OrderStoreUnderTest {
  store: OrderStore;
  addProduct(product: Product): Promise<void>;
  stockOf(productId: string): Promise<number | undefined>;
}

/**
 * Ids Firestore will not take as one document's id: the store refuses them, as Firestore does.
 * Few, because Firestore's client retries an INVALID_ARGUMENT read for about 7 s before failing
 * (one more reason the id rule runs before any Firestore call); the unit tests of
 * `firestoreIdProblem` cover the rest.
 */
const refusedReads = ['__x__', 'a/b'];
const refusedWrites = ['..', 'a/b'];

/**
 * The document ids an order store takes, run against the in-memory store and Firestore, so that
 * the HTTP tests on the in-memory one see what production does when the id rule lets one through.
 */
export function refusesWhatFirestoreRefuses(make: () => Promise<OrderStoreUnderTest>): void {
  let subject: OrderStoreUnderTest;
  let product: Product;

  beforeEach(async () => {
    subject = await make();
    product = aProduct({ stock: 5 });
    await subject.addProduct(product);
  });

  const place = (productId: string) =>
    subject.store.placeOrder({
      orderId: randomUUID(),
      eventId: randomUUID(),
      customer: aCustomer(),
      items: [
        { productId: product.id, quantity: 1 },
        { productId, quantity: 1 },
      ],
      now: new Date(),
    });

  for (const id of refusedReads) {
    it(`refuses to read the order ${JSON.stringify(id)}`, async () => {
      const error = await subject.store.findOrder(id).then(
        () => expect.fail('the read succeeded'),
        (e: unknown) => e as Error,
      );
      expect(error.message).to.match(/INVALID_ARGUMENT|documentPath/);
    });
  }

  for (const id of refusedWrites) {
    it(`refuses an order of the product ${JSON.stringify(id)} and writes nothing`, async () => {
      const error = await place(id).then(
        () => expect.fail('the order was placed'),
        (e: unknown) => e as Error,
      );
      expect(error.message).to.match(/INVALID_ARGUMENT|documentPath/);
      expect(await subject.stockOf(product.id)).to.equal(5);
    });
  }

  it('finds no product for an id too long to have been stored', async () => {
    const error = await place('x'.repeat(1501)).then(
      () => expect.fail('the order was placed'),
      (e: unknown) => e as { code?: string },
    );
    expect(error.code).to.equal('unknown-product');
  });

  it('takes ids that are neither, up to the id rule and beyond', async () => {
    for (const id of ['__', 'a.b', '-_-', 'x'.repeat(128)]) {
      expect(await subject.store.findOrder(id)).to.equal(undefined);
    }
  });
}
