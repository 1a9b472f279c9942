import type { Firestore } from '@google-cloud/firestore';
import type { Seller } from '../domain/seller-notice.js';
import type { SellerDirectory } from '../ports.js';
import { rotationOf, webhookSecretsCollection } from './webhook-secret-records.js';

export class FirestoreSellerDirectory implements SellerDirectory {
  constructor(private readonly db: Firestore) {}

  async find(sellerId: string): Promise<Seller | undefined> {
    // One round trip for the seller and its secret versions.
    const [seller, secrets] = await this.db.getAll(
      this.db.collection('sellers').doc(sellerId),
      this.db.collection(webhookSecretsCollection).doc(sellerId),
    );
    if (!seller?.exists) return undefined;
    const { name, email, webhookUrl } = seller.data() as Omit<Seller, 'id' | 'signing'>;
    return { id: seller.id, name, email, webhookUrl, signing: rotationOf(secrets?.data()) };
  }
}
