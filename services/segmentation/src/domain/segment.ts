/**
 * A customer's segment, built from the orders they placed.
 * Every field is a sum, a count, a minimum or a maximum over the orders, so the result
 * is the same whatever order the events arrive in; each order is counted once.
 *
 * Segment rules, first match wins:
 *   vip       10 or more orders, or 100,000 minor units or more spent in one currency
 *             (1,000.00 in a two-decimal currency such as EUR or USD)
 *   loyal     3 or more orders
 *   returning 2 orders
 *   new       1 order
 */
export type SegmentLabel = 'new' | 'returning' | 'loyal' | 'vip';

export interface CustomerSegment {
  customerId: string;
  orderCount: number;
  /** Minor units by currency: amounts in different currencies are never added. */
  totalSpentCents: Record<string, number>;
  firstOrderAt: string;
  lastOrderAt: string;
  segment: SegmentLabel;
}

export interface CountedOrder {
  orderId: string;
  customerId: string;
  totalCents: number;
  currency: string;
  placedAt: string;
}

export const vipOrderCount = 10;
export const vipSpentCents = 100_000;

export function segmentOf(
  orderCount: number,
  totalSpentCents: Record<string, number>,
): SegmentLabel {
  const maxSpent = Math.max(0, ...Object.values(totalSpentCents));
  if (orderCount >= vipOrderCount || maxSpent >= vipSpentCents) return 'vip';
  if (orderCount >= 3) return 'loyal';
  if (orderCount === 2) return 'returning';
  return 'new';
}

export function addOrder(
  current: CustomerSegment | undefined,
  order: CountedOrder,
): CustomerSegment {
  const orderCount = (current?.orderCount ?? 0) + 1;
  const totalSpentCents = { ...current?.totalSpentCents };
  totalSpentCents[order.currency] = (totalSpentCents[order.currency] ?? 0) + order.totalCents;
  return {
    customerId: order.customerId,
    orderCount,
    totalSpentCents,
    firstOrderAt: earliest(current?.firstOrderAt, order.placedAt),
    lastOrderAt: latest(current?.lastOrderAt, order.placedAt),
    segment: segmentOf(orderCount, totalSpentCents),
  };
}

const earliest = (a: string | undefined, b: string) => (a && Date.parse(a) < Date.parse(b) ? a : b);
const latest = (a: string | undefined, b: string) => (a && Date.parse(a) > Date.parse(b) ? a : b);
