import type { Firestore } from '@google-cloud/firestore';
import { fieldValue } from '@orderflow/platform';
import {
  decideClaim,
  type StreamClaimOutcome,
  type OrderStreams,
  type StreamClaim,
} from './order-streams.js';

/** `orderStreams/{orderId}_{stream}`: one small document per order and recipient, never hot. */
export class FirestoreOrderStreams implements OrderStreams {
  constructor(private readonly db: Firestore) {}

  private ref(claim: StreamClaim) {
    return this.db.collection('orderStreams').doc(`${claim.orderId}_${claim.stream}`);
  }

  claim(claim: StreamClaim, now: Date, leaseMs: number): Promise<StreamClaimOutcome> {
    const ref = this.ref(claim);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const state = snapshot.data() as Parameters<typeof decideClaim>[0];
      const { outcome, next } = decideClaim(state, claim, now, leaseMs);
      if (next) tx.set(ref, { ...next, orderId: claim.orderId, stream: claim.stream });
      return outcome;
    });
  }

  async release(claim: StreamClaim): Promise<void> {
    const ref = this.ref(claim);
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (snapshot.get('holder') !== claim.eventId) return;
      tx.update(ref, { holder: fieldValue().delete(), leaseUntil: fieldValue().delete() });
    });
  }
}
