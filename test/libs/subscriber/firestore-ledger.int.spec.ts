import type { FulfilmentRecord } from '@orderflow/events';
import { fulfilmentCollection } from '@orderflow/events';
import {
  deadLetterRef,
  FirestoreDeliveryLedger,
  type DeadLetterRecord,
} from '@orderflow/subscriber';
import { firestore } from '../../system/support/clients.js';
import { removeContractDocuments } from './contract-subscribers.js';
import { behavesAsADeliveryLedger } from './delivery-ledger.contract.js';
import { behavesAsAPartsLedger } from './delivery-parts.contract.js';

describe('FirestoreDeliveryLedger, on the Firestore emulator', () => {
  const make = () => ({
    ledger: new FirestoreDeliveryLedger(firestore()),
    fulfilment: async (orderId: string, subscriber: string) => {
      const doc = await firestore().collection(fulfilmentCollection(orderId)).doc(subscriber).get();
      return doc.data() as FulfilmentRecord | undefined;
    },
    deadLetter: async (subscriber: string, key: string) =>
      (await deadLetterRef(firestore(), subscriber, key).get()).data() as
        DeadLetterRecord | undefined,
  });
  after(() => removeContractDocuments(firestore()));
  behavesAsADeliveryLedger(make);
  describe('in parts', () => behavesAsAPartsLedger(make));
});
