import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import {
  defaultStoreLimits,
  FirestoreOrderStore,
} from '@orderflow/order/adapters/firestore-order-store';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { refusesWhatFirestoreRefuses } from './order-store-ids.contract.js';

describe('FirestoreOrderStore, document ids, on the Firestore emulator', () => {
  let db: Firestore;

  before(() => {
    db = createFirestore({ ...testConfig, GOOGLE_CLOUD_PROJECT: `demo-ids-${randomUUID()}` });
  });

  after(async () => {
    await db.terminate();
  });

  refusesWhatFirestoreRefuses(() =>
    Promise.resolve({
      // Firestore's client retries an INVALID_ARGUMENT read for about 7 s: a deadline beyond it.
      store: new FirestoreOrderStore(db, { ...defaultStoreLimits, timeoutMs: 20_000 }),
      addProduct: async ({ id, ...product }) => {
        await db.collection('products').doc(id).set(product);
      },
      stockOf: async (id) =>
        (await db.collection('products').doc(id).get()).get('stock') as number | undefined,
    }),
  );
});
