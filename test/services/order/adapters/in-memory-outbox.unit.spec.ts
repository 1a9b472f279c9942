import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { behavesAsAnOutbox } from './outbox.contract.js';

describe('InMemoryOrderStore as the outbox', () => {
  behavesAsAnOutbox(() => {
    const store = new InMemoryOrderStore();
    return Promise.resolve({
      outbox: store,
      store,
      addProduct: (product) => {
        store.products.set(product.id, { ...product });
        return Promise.resolve();
      },
    });
  });
});
