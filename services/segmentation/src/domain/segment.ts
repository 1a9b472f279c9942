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
 *
 * Counts and sums only grow, so a customer's label only moves up new → returning → loyal → vip
 * (it may skip one) and never comes back to a label it left: each label is reached once, which
 * is what makes a label change an event that happens once.
 */
import type { CustomerSegmentChangedV1, SegmentLabel } from '@orderflow/events';

export type { SegmentLabel };

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
  email: string;
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

/** What changed when `order` moved the customer from `before` to `after`, if the label did. */
export function labelChange(
  before: CustomerSegment | undefined,
  after: CustomerSegment,
  order: CountedOrder,
): CustomerSegmentChangedV1 | undefined {
  if (before?.segment === after.segment) return undefined;
  return {
    customerId: after.customerId,
    email: order.email,
    segment: after.segment,
    previousSegment: before?.segment ?? null,
    orderCount: after.orderCount,
    orderId: order.orderId,
    changedAt: order.placedAt,
  };
}
