import { expect } from 'chai';
import {
  decideMember,
  newBatch,
  type Batch,
  type BatchMember,
  type MemberDecision,
  type StockState,
} from '@orderflow/order/domain/batch';
import type { OrderItem } from '@orderflow/order/domain/order';
import { aCustomer, aProduct, catalogOf } from '../../../support/catalog.js';

const now = new Date('2025-03-01T10:00:00.000Z');
const mug = aProduct({ id: 'mug', priceCents: 1250 });
const bowl = aProduct({ id: 'bowl', priceCents: 899 });

let next = 0;
function aMember(items: OrderItem[], overrides: Partial<BatchMember> = {}): BatchMember {
  next += 1;
  return {
    orderId: `order-${next}`,
    eventId: `event-${next}`,
    customer: aCustomer(),
    items,
    now,
    ...overrides,
  };
}

const one = (productId: string, quantity = 1): OrderItem[] => [{ productId, quantity }];

/** Decides the members in order against `stock`; the decisions and the stock they leave. */
function decideAll(stock: Record<string, StockState>, members: BatchMember[], startShard = 0) {
  let batch: Batch = newBatch(catalogOf(mug, bowl), new Map(Object.entries(stock)), startShard);
  const decisions: MemberDecision[] = [];
  for (const member of members) {
    const decided = decideMember(batch, member);
    batch = decided.batch;
    decisions.push(decided.decision);
  }
  const left = Object.fromEntries([...batch.stock].map(([id, s]) => [id, s.levels]));
  return { decisions, left };
}

const single = (level: number): StockState => ({ levels: [level], sharded: false });
const kinds = (decisions: MemberDecision[]) =>
  decisions.map((d) => (d.kind === 'refused' ? (d.error as { code?: string }).code : d.kind));

describe('decideMember: a batch of orders decided against one reading of the stock', () => {
  it('serves the members in arrival order and refuses those the stock left cannot serve', () => {
    const { decisions, left } = decideAll({ mug: single(2) }, [
      aMember(one('mug')),
      aMember(one('mug', 2)),
      aMember(one('mug')),
      aMember(one('mug')),
    ]);
    expect(kinds(decisions)).to.deep.equal([
      'placed',
      'insufficient-stock',
      'placed',
      'insufficient-stock',
    ]);
    expect(left).to.deep.equal({ mug: [0] });
    const refused = decisions[1] as Extract<MemberDecision, { kind: 'refused' }>;
    expect(refused.error).to.include({ code: 'insufficient-stock' });
  });

  it('keeps an order of several lines all or nothing: a refused one takes nothing', () => {
    const { decisions, left } = decideAll({ mug: single(5), bowl: single(1) }, [
      aMember([
        { productId: 'mug', quantity: 1 },
        { productId: 'bowl', quantity: 1 },
      ]),
      aMember([
        { productId: 'bowl', quantity: 1 },
        { productId: 'mug', quantity: 1 },
      ]),
      aMember(one('mug', 2)),
    ]);
    expect(kinds(decisions)).to.deep.equal(['placed', 'insufficient-stock', 'placed']);
    expect(left).to.deep.equal({ mug: [2], bowl: [0] });
  });

  it('records where each unit was taken: shard indexes from the batch start, null for a single document', () => {
    const { decisions, left } = decideAll(
      { mug: { levels: [1, 0, 2], sharded: true }, bowl: single(4) },
      [
        aMember([
          { productId: 'mug', quantity: 2 },
          { productId: 'bowl', quantity: 3 },
        ]),
      ],
      2,
    );
    const placed = decisions[0] as Extract<MemberDecision, { kind: 'placed' }>;
    expect(placed.order.stockTaken).to.deep.equal([
      { productId: 'mug', shard: 2, quantity: 2 },
      { productId: 'bowl', shard: null, quantity: 3 },
    ]);
    expect(left).to.deep.equal({ mug: [1, 0, 0], bowl: [1] });
    expect(placed.event.id).to.equal(`event-${next}`);
  });

  it('answers a second member with the same Idempotency-Key and body with the first one’s order', () => {
    const customer = aCustomer();
    const key = { customerId: customer.id, key: 'k-1', requestHash: 'h' };
    const first = aMember(one('mug'), { customer, idempotency: key });
    const { decisions, left } = decideAll({ mug: single(5) }, [
      first,
      aMember(one('mug'), { customer, idempotency: key }),
      aMember(one('mug', 2), { customer, idempotency: { ...key, requestHash: 'other' } }),
      aMember(one('mug'), { idempotency: { ...key, customerId: 'someone-else' } }),
    ]);
    expect(kinds(decisions)).to.deep.equal([
      'placed',
      'replayed',
      'idempotency-key-reused',
      'placed',
    ]);
    expect(decisions[1]).to.deep.equal({ kind: 'replayed', orderId: first.orderId });
    expect(left).to.deep.equal({ mug: [3] });
  });

  it('refuses an unknown product without touching the stock of the others', () => {
    const { decisions, left } = decideAll({ mug: single(1) }, [
      aMember([
        { productId: 'mug', quantity: 1 },
        { productId: 'ghost', quantity: 1 },
      ]),
      aMember(one('mug')),
    ]);
    expect(kinds(decisions)).to.deep.equal(['unknown-product', 'placed']);
    expect(left).to.deep.equal({ mug: [0] });
  });
});
