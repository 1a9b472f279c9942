import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { deadLetterCollection } from '@orderflow/subscriber';

const prefix = 'contract-';

/**
 * A subscriber name of one test alone: queries by subscriber (the sweep's, `dlq list`) see no
 * other test's documents, and the ones it leaves can be found and removed.
 */
export const aContractSubscriber = (name: string) => `${prefix}${name}-${randomUUID()}`;

/** Removes the deliveries and dead letters of every contract subscriber, which `dlq list` would show. */
export async function removeContractDocuments(db: Firestore): Promise<void> {
  const writer = db.bulkWriter();
  for (const collection of ['deliveries', deadLetterCollection]) {
    const snapshot = await db
      .collection(collection)
      .where('subscriber', '>=', prefix)
      .where('subscriber', '<', `${prefix}\uf8ff`)
      .select()
      .get();
    for (const doc of snapshot.docs) void writer.delete(doc.ref);
  }
  await writer.close();
}
