import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import type { OrderStoreUnderTest } from './order-store-ids.contract.js';

/** A fresh in-memory order store, as the store contract suites drive it. */
export function anInMemoryStoreUnderTest(): Promise<OrderStoreUnderTest> {
  const store = new InMemoryOrderStore();
  return Promise.resolve({
    store,
    addProduct: (product) => {
      store.products.set(product.id, { ...product });
      return Promise.resolve();
    },
    stockOf: (id) => Promise.resolve(store.products.get(id)?.stock),
  });
}
