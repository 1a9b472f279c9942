import type { CustomerFulfilment } from '../domain/fulfilment.js';
import type { Order } from '../domain/order.js';
import type { OrderResource } from './resources.js';

/** The order as the API shows it: no internal fields, fulfilment when known. */
export function orderResource(
  order: Order,
  fulfilment?: Record<string, CustomerFulfilment>,
): OrderResource {
  return {
    id: order.id,
    status: order.status,
    customer: order.customer,
    lines: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt,
    ...(fulfilment ? { fulfilment } : {}),
  };
}
