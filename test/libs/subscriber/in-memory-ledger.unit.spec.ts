import { InMemoryDeliveryLedger } from '@orderflow/subscriber';
import { behavesAsADeliveryLedger } from './delivery-ledger.contract.js';

describe('InMemoryDeliveryLedger', () => {
  behavesAsADeliveryLedger(() => {
    const ledger = new InMemoryDeliveryLedger();
    return {
      ledger,
      fulfilment: (orderId, subscriber) =>
        Promise.resolve(ledger.fulfilment.get(orderId)?.[subscriber]),
    };
  });
});
