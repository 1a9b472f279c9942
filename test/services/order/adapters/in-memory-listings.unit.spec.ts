import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { listsInPages } from './listings.contract.js';

describe('InMemoryOrderStore listings', () => {
  listsInPages(() => {
    const store = new InMemoryOrderStore();
    return Promise.resolve({
      store,
      addProduct: (product) => {
        store.products.set(product.id, { ...product });
        return Promise.resolve();
      },
    });
  });
});
