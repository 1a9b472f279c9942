import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import { FirestoreDeliveryLedger } from '@orderflow/subscriber';
import { firestore } from '../../system/support/clients.js';
import { behavesAsADeliveryLedger } from './delivery-ledger.contract.js';

describe('FirestoreDeliveryLedger, on the Firestore emulator', () => {
  behavesAsADeliveryLedger(() => ({
    ledger: new FirestoreDeliveryLedger(firestore()),
    fulfilment: async (orderId, subscriber) => {
      const doc = await firestore().collection(fulfilmentCollection(orderId)).doc(subscriber).get();
      return doc.data() as FulfilmentRecord | undefined;
    },
  }));
});
