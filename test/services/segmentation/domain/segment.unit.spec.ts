import { expect } from 'chai';
import {
  addOrder,
  labelChange,
  segmentOf,
  vipOrderCount,
  vipSpentCents,
  type CountedOrder,
  type CustomerSegment,
  type SegmentLabel,
} from '@orderflow/segmentation/domain/segment';
import { segmentLabels } from '@orderflow/events';

function aCountedOrder(overrides: Partial<CountedOrder> = {}): CountedOrder {
  return {
    orderId: 'order-1',
    customerId: 'customer-ada',
    email: 'ada@example.com',
    totalCents: 2500,
    currency: 'EUR',
    placedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

const addAll = (orders: readonly CountedOrder[]) =>
  orders.reduce<CustomerSegment | undefined>(addOrder, undefined);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('segmentOf', () => {
  const rules: { orders: number; spent: Record<string, number>; segment: SegmentLabel }[] = [
    { orders: 1, spent: { EUR: 100 }, segment: 'new' },
    { orders: 2, spent: { EUR: 100 }, segment: 'returning' },
    { orders: 3, spent: { EUR: 100 }, segment: 'loyal' },
    { orders: vipOrderCount - 1, spent: { EUR: 100 }, segment: 'loyal' },
    { orders: vipOrderCount, spent: { EUR: 100 }, segment: 'vip' },
    { orders: 1, spent: { EUR: vipSpentCents - 1 }, segment: 'new' },
    { orders: 1, spent: { EUR: vipSpentCents }, segment: 'vip' },
    { orders: 2, spent: { EUR: vipSpentCents / 2, USD: vipSpentCents / 2 }, segment: 'returning' },
    { orders: 2, spent: { EUR: 1, USD: vipSpentCents }, segment: 'vip' },
    { orders: 0, spent: {}, segment: 'new' },
  ];
  for (const { orders, spent, segment } of rules) {
    it(`orders: ${orders}, spent: ${JSON.stringify(spent)} → ${segment}`, () => {
      expect(segmentOf(orders, spent)).to.equal(segment);
    });
  }
});

describe('addOrder', () => {
  it('starts a segment from the first order', () => {
    expect(addOrder(undefined, aCountedOrder())).to.deep.equal({
      customerId: 'customer-ada',
      orderCount: 1,
      totalSpentCents: { EUR: 2500 },
      firstOrderAt: '2025-03-01T10:00:00.000Z',
      lastOrderAt: '2025-03-01T10:00:00.000Z',
      segment: 'new',
    });
  });

  it('keeps amounts of different currencies apart', () => {
    const segment = addAll([
      aCountedOrder({ orderId: 'a', totalCents: 1000, currency: 'EUR' }),
      aCountedOrder({ orderId: 'b', totalCents: 500, currency: 'JPY' }),
      aCountedOrder({ orderId: 'c', totalCents: 250, currency: 'EUR' }),
    ]);
    expect(segment?.totalSpentCents).to.deep.equal({ EUR: 1250, JPY: 500 });
  });

  it('leaves the segment it is given unchanged', () => {
    const first = addOrder(undefined, aCountedOrder({ orderId: 'a' }));
    const snapshot = structuredClone(first);
    addOrder(first, aCountedOrder({ orderId: 'b', placedAt: '2025-04-01T00:00:00.000Z' }));
    expect(first).to.deep.equal(snapshot);
  });

  const orders = [
    aCountedOrder({ orderId: 'a', totalCents: 40_000, placedAt: '2025-03-05T08:00:00.000Z' }),
    aCountedOrder({ orderId: 'b', totalCents: 35_000, placedAt: '2025-01-02T23:59:59.999Z' }),
    aCountedOrder({
      orderId: 'c',
      totalCents: 9_900,
      currency: 'USD',
      placedAt: '2025-02-14T12:00:00.000Z',
    }),
    aCountedOrder({ orderId: 'd', totalCents: 30_000, placedAt: '2025-06-30T00:00:00.000Z' }),
  ];

  it('gives the same segment for every order of arrival', () => {
    const all = permutations(orders);
    expect(all).to.have.length(24);
    const expected: CustomerSegment = {
      customerId: 'customer-ada',
      orderCount: 4,
      totalSpentCents: { EUR: 105_000, USD: 9_900 },
      firstOrderAt: '2025-01-02T23:59:59.999Z',
      lastOrderAt: '2025-06-30T00:00:00.000Z',
      segment: 'vip',
    };
    for (const arrival of all) {
      expect(addAll(arrival), arrival.map((o) => o.orderId).join('')).to.deep.equal(expected);
    }
  });

  it('passes through every label on the way, whatever the order', () => {
    const small = orders.map((o) => ({ ...o, totalCents: 100 }));
    for (const arrival of permutations(small)) {
      const labels = arrival.reduce<SegmentLabel[]>((seen, _order, i) => {
        seen.push(addAll(arrival.slice(0, i + 1))!.segment);
        return seen;
      }, []);
      expect(labels).to.deep.equal(['new', 'returning', 'loyal', 'loyal']);
    }
  });

  it('compares times as instants, not as text', () => {
    const segment = addAll([
      aCountedOrder({ orderId: 'a', placedAt: '2025-03-01T10:00:00.000+02:00' }),
      aCountedOrder({ orderId: 'b', placedAt: '2025-03-01T09:00:00.000Z' }),
    ]);
    expect(segment?.firstOrderAt).to.equal('2025-03-01T10:00:00.000+02:00');
    expect(segment?.lastOrderAt).to.equal('2025-03-01T09:00:00.000Z');
  });

  describe('label changes', () => {
    const rank = (label: SegmentLabel) => segmentLabels.indexOf(label);
    const orders = [
      aCountedOrder({ orderId: 'a', totalCents: 60_000 }),
      aCountedOrder({ orderId: 'b', totalCents: 500 }),
      aCountedOrder({ orderId: 'c', totalCents: 45_000 }),
      aCountedOrder({ orderId: 'd', totalCents: 500 }),
    ];

    it('a label only ever moves up, so each label is reached at most once, in any order', () => {
      for (const permutation of permutations(orders)) {
        let current: CustomerSegment | undefined;
        const reached: SegmentLabel[] = [];
        for (const order of permutation) {
          const next = addOrder(current, order);
          const change = labelChange(current, next, order);
          if (change) {
            expect(change.previousSegment).to.equal(current?.segment ?? null);
            reached.push(change.segment);
          }
          current = next;
        }
        expect(reached[0]).to.equal(permutation[0]!.totalCents >= vipSpentCents ? 'vip' : 'new');
        expect(reached.map(rank)).to.deep.equal([...reached.map(rank)].sort());
        expect(new Set(reached).size).to.equal(reached.length);
        expect(reached.at(-1)).to.equal('vip');
      }
    });

    it('tells the change with the order that made it and that order time', () => {
      const first = aCountedOrder({ orderId: 'a' });
      const second = aCountedOrder({ orderId: 'b', placedAt: '2025-03-02T09:00:00.000Z' });
      const before = addOrder(undefined, first);
      expect(labelChange(before, addOrder(before, second), second)).to.deep.equal({
        customerId: 'customer-ada',
        email: 'ada@example.com',
        segment: 'returning',
        previousSegment: 'new',
        orderCount: 2,
        orderId: 'b',
        changedAt: '2025-03-02T09:00:00.000Z',
      });
    });

    it('is no change when the label stays', () => {
      const orders3 = [1, 2, 3].map((i) => aCountedOrder({ orderId: `o${i}` }));
      const loyal = addAll(orders3)!;
      const fourth = aCountedOrder({ orderId: 'o4' });
      expect(labelChange(loyal, addOrder(loyal, fourth), fourth)).to.equal(undefined);
    });
  });
});
