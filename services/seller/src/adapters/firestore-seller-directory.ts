import type { Firestore } from '@google-cloud/firestore';
import type { Seller } from '../domain/seller-notice.js';
import type { SellerDirectory } from '../ports.js';

export class FirestoreSellerDirectory implements SellerDirectory {
  constructor(private readonly db: Firestore) {}

  async find(sellerId: string): Promise<Seller | undefined> {
    const doc = await this.db.collection('sellers').doc(sellerId).get();
    return doc.exists ? { id: doc.id, ...(doc.data() as Omit<Seller, 'id'>) } : undefined;
  }
}
