import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { OrderRecord } from '@orderflow/order/domain/lifecycle';
import type { Product } from '@orderflow/order/domain/order';
import type { OrderPosition, Page, ProductPosition } from '@orderflow/order/domain/paging';
import type { OrderStore } from '@orderflow/order/ports';
import { aCustomer, aProduct } from '../../../support/catalog.js';

export interface ListingsUnderTest {
  store: OrderStore;
  addProduct(product: Product): Promise<void>;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

/** Walks every page, `limit` at a time, the way a client follows nextCursor. */
async function everyPage<T, P>(
  list: (after: P | undefined) => Promise<Page<T, P>>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let after: P | undefined;
  do {
    const page = await list(after);
    pages.push(page.items);
    after = page.next;
  } while (after !== undefined && pages.length < 20);
  return pages;
}

/** How every order store pages the catalog and a customer's orders (each test a fresh store). */
export function listsInPages(make: () => Promise<ListingsUnderTest>): void {
  let subject: ListingsUnderTest;
  beforeEach(async () => {
    subject = await make();
  });

  it('pages the catalog by name, then id, with no product twice and none left out', async () => {
    for (const [id, name] of [
      ['p-c', 'Cup'],
      ['p-a2', 'Bowl'],
      ['p-a1', 'Bowl'],
      ['p-d', 'Dish'],
      ['p-b', 'Bread board'],
    ] as const) {
      await subject.addProduct(aProduct({ id, name }));
    }
    const pages = await everyPage<Product, ProductPosition>((after) =>
      subject.store.listProducts({ limit: 2, after }),
    );
    expect(pages.map((page) => page.map((p) => p.id))).to.deep.equal([
      ['p-a1', 'p-a2'],
      ['p-b', 'p-c'],
      ['p-d'],
    ]);
  });

  it("lists only the customer's own orders, newest first, page by page", async () => {
    const product = aProduct({ stock: 100 });
    await subject.addProduct(product);
    const [ada, bob] = [aCustomer(), aCustomer()];
    const place = async (customer = ada, minute = 0, orderId: string = randomUUID()) => {
      const outcome = await subject.store.placeOrder({
        orderId,
        eventId: randomUUID(),
        customer,
        items: [{ productId: product.id, quantity: 1 }],
        now: at(minute),
      });
      return outcome.order.id;
    };
    const oldest = await place(ada, 1);
    await place(bob, 2);
    // Two at the same instant: the id breaks the tie, so paging neither skips nor repeats one.
    const [tiedA, tiedB] = [await place(ada, 3, 'order-a'), await place(ada, 3, 'order-b')];
    const newest = await place(ada, 4);

    const pages = await everyPage<OrderRecord, OrderPosition>((after) =>
      subject.store.listOrdersOf(ada.id, { limit: 2, after }),
    );
    const ids = (page: OrderRecord[]) => page.map((o) => o.id);
    expect(pages.map(ids)).to.deep.equal([
      [newest, tiedB],
      [tiedA, oldest],
    ]);
    expect(pages.flat().every((o) => o.customer.id === ada.id)).to.equal(true);
  });

  it('answers an empty last page without a next position', async () => {
    const page = await subject.store.listOrdersOf(aCustomer().id, { limit: 5 });
    expect(page).to.deep.equal({ items: [] });
  });
}
