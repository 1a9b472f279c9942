import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { splitEvenly, sum } from '@orderflow/order/domain/stock-shards';
import { keepsStockExact } from './stock.contract.js';

describe('InMemoryOrderStore stock', () => {
  keepsStockExact(() => {
    const store = new InMemoryOrderStore();
    return Promise.resolve({
      store,
      addProduct: (product, shards) => {
        store.products.set(product.id, { ...product });
        if (shards > 1) store.stockShards.set(product.id, splitEvenly(product.stock, shards));
        return Promise.resolve();
      },
      stockOf: (id) => {
        const shards = store.stockShards.get(id);
        return Promise.resolve(shards ? sum(shards) : (store.products.get(id)?.stock ?? 0));
      },
      orderCount: () => Promise.resolve(store.orders.size),
    });
  }, 40);
});
