import { anInMemoryStoreUnderTest } from './in-memory-store.js';
import { listsInPages } from './listings.contract.js';

describe('InMemoryOrderStore listings', () => {
  listsInPages(anInMemoryStoreUnderTest);
});
