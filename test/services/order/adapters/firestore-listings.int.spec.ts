import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { FirestoreOrderStore } from '@orderflow/order/adapters/firestore-order-store';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { listsInPages } from './listings.contract.js';

describe('FirestoreOrderStore listings, on the Firestore emulator', () => {
  const databases: Firestore[] = [];

  after(async () => {
    await Promise.all(databases.map((db) => db.terminate()));
  });

  listsInPages(() => {
    // A project of its own per test: a fresh, empty catalog.
    const db = createFirestore({
      ...testConfig,
      GOOGLE_CLOUD_PROJECT: `demo-list-${randomUUID()}`,
    });
    databases.push(db);
    return Promise.resolve({
      store: new FirestoreOrderStore(db),
      addProduct: async ({ id, ...product }) => {
        await db.collection('products').doc(id).set(product);
      },
    });
  });
});
