import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import {
  defaultStoreLimits,
  FirestoreOrderStore,
} from '@orderflow/order/adapters/firestore-order-store';
import {
  shardCountOf,
  shardRefs,
  stockFields,
  stockOf,
  writeShards,
} from '@orderflow/order/adapters/firestore-stock';
import { splitEvenly } from '@orderflow/order/domain/stock-shards';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { keepsStockExact } from './stock.contract.js';

for (const commits of ['shared', 'per-order'] as const) {
  describe(`FirestoreOrderStore stock, ${commits} commits, on the Firestore emulator, under contention`, () => {
    const databases: Firestore[] = [];

    after(async () => {
      await Promise.all(databases.map((db) => db.terminate()));
    });

    keepsStockExact(() => {
      const db = createFirestore({
        ...testConfig,
        GOOGLE_CLOUD_PROJECT: `demo-stock-${randomUUID()}`,
      });
      databases.push(db);
      const products = db.collection('products');
      return Promise.resolve({
        // The emulator is slower than Firestore: a deadline that contention, not slowness, decides.
        store: new FirestoreOrderStore(db, { ...defaultStoreLimits, timeoutMs: 20_000, commits }),
        addProduct: async ({ id, stock, ...product }, shards) => {
          const batch = db.batch();
          const levels = splitEvenly(stock, shards);
          batch.set(products.doc(id), { ...product, ...stockFields(levels) });
          writeShards(batch, products.doc(id), levels, []);
          await batch.commit();
        },
        stockOf: async (id) => {
          const product = await products.doc(id).get();
          const count = shardCountOf(product);
          const shards = count > 1 ? await db.getAll(...shardRefs(product.ref, count)) : [];
          return stockOf(product, shards);
        },
        orderCount: async () => (await db.collection('orders').count().get()).data().count,
      });
    }, 40);
  });
}
