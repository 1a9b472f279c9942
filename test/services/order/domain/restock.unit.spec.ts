import { expect } from 'chai';
import type { OrderLine } from '@orderflow/events';
import { restockOf } from '@orderflow/order/domain/restock';

const line = (productId: string, quantity: number): OrderLine => ({
  productId,
  sellerId: 's',
  name: productId,
  quantity,
  unitPriceCents: 100,
  lineTotalCents: 100 * quantity,
});

describe('restockOf', () => {
  it('returns units to the shards they were taken from', () => {
    const taken = [
      { productId: 'tent', shard: 3, quantity: 2 },
      { productId: 'tent', shard: 0, quantity: 1 },
      { productId: 'mug', shard: null, quantity: 4 },
    ];
    expect(
      restockOf([line('tent', 3), line('mug', 4)], taken, (id) => (id === 'tent' ? 4 : 1)),
    ).to.deep.equal([
      { productId: 'tent', shard: 3, quantity: 2 },
      { productId: 'tent', shard: 0, quantity: 1 },
      { productId: 'mug', shard: null, quantity: 4 },
    ]);
  });

  it('follows a re-shard: a removed shard folds onto the new ones, a new layout gets shard 0', () => {
    const taken = [
      { productId: 'tent', shard: 3, quantity: 2 },
      { productId: 'tent', shard: 1, quantity: 1 },
      { productId: 'mug', shard: null, quantity: 4 },
    ];
    expect(restockOf([line('tent', 3), line('mug', 4)], taken, () => 2)).to.deep.equal([
      { productId: 'tent', shard: 1, quantity: 3 },
      { productId: 'mug', shard: 0, quantity: 4 },
    ]);
    expect(restockOf([line('tent', 3)], taken, () => 1)).to.deep.equal([
      { productId: 'tent', shard: null, quantity: 3 },
    ]);
  });

  it('returns the whole line of an order that recorded no stockTaken', () => {
    expect(restockOf([line('tent', 5)], undefined, () => 3)).to.deep.equal([
      { productId: 'tent', shard: 0, quantity: 5 },
    ]);
  });
});
