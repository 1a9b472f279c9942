import type { CustomerFulfilment } from '../domain/fulfilment.js';
import { lifecycleOf, type OrderRecord } from '../domain/lifecycle.js';
import type { OrderResource, SellerOrderResource } from './resources.js';

/** The order as the API shows it: no internal fields, its parts and history, fulfilment when known. */
export function orderResource(
  order: OrderRecord,
  fulfilment?: Record<string, CustomerFulfilment>,
): OrderResource {
  const { parts, history } = lifecycleOf(order);
  return {
    id: order.id,
    status: order.status,
    customer: order.customer,
    lines: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt,
    parts,
    history,
    ...(fulfilment ? { fulfilment } : {}),
  };
}

/** One seller's part of an order, as that seller sees it: no customer, no other seller's lines. */
export function sellerOrderResource(order: OrderRecord, sellerId: string): SellerOrderResource {
  const part = lifecycleOf(order).parts.find((p) => p.sellerId === sellerId);
  const lines = order.lines.filter((line) => line.sellerId === sellerId);
  return {
    orderId: order.id,
    createdAt: order.createdAt,
    orderStatus: order.status,
    state: part?.state ?? 'pending',
    ...(part?.trackingNumber === undefined ? {} : { trackingNumber: part.trackingNumber }),
    ...(part?.reason === undefined ? {} : { reason: part.reason }),
    lines,
    subtotalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    currency: order.currency,
  };
}
