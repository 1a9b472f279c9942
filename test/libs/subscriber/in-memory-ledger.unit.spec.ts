import { InMemoryDeliveryLedger } from '@orderflow/subscriber';
import { behavesAsADeliveryLedger } from './delivery-ledger.contract.js';
import { behavesAsAPartsLedger } from './delivery-parts.contract.js';

describe('InMemoryDeliveryLedger', () => {
  const make = () => {
    const ledger = new InMemoryDeliveryLedger();
    return {
      ledger,
      fulfilment: (orderId: string, subscriber: string) =>
        Promise.resolve(ledger.fulfilment.get(orderId)?.[subscriber]),
      deadLetter: (subscriber: string, key: string) =>
        Promise.resolve(ledger.deadLetters.get(`${subscriber}_${key}`)),
    };
  };
  behavesAsADeliveryLedger(make);
  describe('in parts', () => behavesAsAPartsLedger(make));
});
