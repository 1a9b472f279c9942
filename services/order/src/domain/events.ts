import { orderPlacedType, type CloudEvent } from '@orderflow/events';
import type { Order } from './order.js';

export const eventSource = '/services/order';

export function orderPlaced(order: Order, eventId: string): CloudEvent<typeof orderPlacedType> {
  return {
    id: eventId,
    type: orderPlacedType,
    source: eventSource,
    subject: `orders/${order.id}`,
    time: order.createdAt,
    data: {
      orderId: order.id,
      customer: order.customer,
      lines: order.lines,
      totalCents: order.totalCents,
      currency: order.currency,
      placedAt: order.createdAt,
    },
  };
}
