import { anInMemoryStoreUnderTest } from './in-memory-store.js';
import { refusesWhatFirestoreRefuses } from './order-store-ids.contract.js';

describe('InMemoryOrderStore, document ids', () => {
  refusesWhatFirestoreRefuses(anInMemoryStoreUnderTest);
});
