import { orderPlacedType, orderPlacedV1Schema, type CloudEvent } from '@orderflow/events';
import { AppError } from '@orderflow/platform/errors';
import type { PricedOrder } from './order.js';

export const eventSource = '/services/order';

/**
 * The order's event, held to the schema its publisher and consumers check, before it is
 * committed: an order whose event could never be published is refused instead of accepted.
 */
export function orderPlaced(
  order: PricedOrder,
  eventId: string,
): CloudEvent<typeof orderPlacedType> {
  const data = orderPlacedV1Schema.safeParse({
    orderId: order.id,
    customer: order.customer,
    lines: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    placedAt: order.createdAt,
  });
  if (!data.success) {
    throw new AppError('invalid-order', 'the order would make an invalid order.placed event', {
      invalidParams: data.error.issues.map((i) => ({ name: i.path.join('.'), reason: i.message })),
    });
  }
  return {
    id: eventId,
    type: orderPlacedType,
    source: eventSource,
    subject: `orders/${order.id}`,
    time: order.createdAt,
    data: data.data,
  };
}
