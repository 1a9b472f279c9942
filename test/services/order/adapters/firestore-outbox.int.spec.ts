import { randomUUID } from 'node:crypto';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { expect } from 'chai';
import { FirestoreOrderStore } from '@orderflow/order/adapters/firestore-order-store';
import { FirestoreOutbox, publishedRetentionMs } from '@orderflow/outbox';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { behavesAsAnOutbox } from './outbox.contract.js';

describe('FirestoreOutbox, on the Firestore emulator', () => {
  const databases: Firestore[] = [];
  /** A project of its own: the local system's relay works on the shared one. */
  const aDatabase = () => {
    const db = createFirestore({
      ...testConfig,
      GOOGLE_CLOUD_PROJECT: `demo-outbox-${randomUUID()}`,
    });
    databases.push(db);
    return db;
  };

  after(async () => {
    await Promise.all(databases.map((db) => db.terminate()));
  });

  behavesAsAnOutbox(() => {
    const db = aDatabase();
    return Promise.resolve({
      outbox: new FirestoreOutbox(db),
      store: new FirestoreOrderStore(db),
      addProduct: async ({ id, ...product }) => {
        await db.collection('products').doc(id).set(product);
      },
    });
  });

  it('gives a published entry the expiry that the TTL policy deletes it by', async () => {
    const db = aDatabase();
    await db.collection('outbox').doc('event-1').set({ createdAt: new Date(), publishedAt: null });
    const publishedAt = new Date('2026-03-01T10:00:00Z');

    await new FirestoreOutbox(db).markPublished('event-1', publishedAt);

    const entry = (await db.collection('outbox').doc('event-1').get()).data() as {
      expiresAt: Timestamp;
    };
    expect(entry.expiresAt.toMillis()).to.equal(publishedAt.getTime() + publishedRetentionMs);
  });
});
