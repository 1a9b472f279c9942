import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { FirestoreOrderStore } from '@orderflow/order/adapters/firestore-order-store';
import { FirestoreOutbox } from '@orderflow/order/adapters/firestore-outbox';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { behavesAsAnOutbox } from './outbox.contract.js';

describe('FirestoreOutbox, on the Firestore emulator', () => {
  const databases: Firestore[] = [];

  after(async () => {
    await Promise.all(databases.map((db) => db.terminate()));
  });

  // A project of its own for every test: the local system's relay works on the shared one.
  behavesAsAnOutbox(() => {
    const db = createFirestore({
      ...testConfig,
      GOOGLE_CLOUD_PROJECT: `demo-outbox-${randomUUID()}`,
    });
    databases.push(db);
    return Promise.resolve({
      outbox: new FirestoreOutbox(db),
      store: new FirestoreOrderStore(db),
      addProduct: async ({ id, ...product }) => {
        await db.collection('products').doc(id).set(product);
      },
    });
  });
});
