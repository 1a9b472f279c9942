import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { refusesWhatFirestoreRefuses } from './order-store-ids.contract.js';

describe('InMemoryOrderStore, document ids', () => {
  refusesWhatFirestoreRefuses(() => {
    const store = new InMemoryOrderStore();
    return Promise.resolve({
      store,
      addProduct: (product) => {
        store.products.set(product.id, { ...product });
        return Promise.resolve();
      },
      stockOf: (id) => Promise.resolve(store.products.get(id)?.stock),
    });
  });
});
