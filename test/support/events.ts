import { randomUUID } from 'node:crypto';
import {
  customerSegmentChangedType,
  orderCancelledType,
  orderPartShippedType,
  orderPlacedType,
  type CustomerSegmentChangedV1,
  toMessage,
  type CloudEvent,
  type OrderLine,
  type OrderPlacedV1,
} from '@orderflow/events';

export type OrderPlacedEvent = CloudEvent<typeof orderPlacedType>;
export type SegmentChangedEvent = CloudEvent<typeof customerSegmentChangedType>;

/** The cancellation of a placed order, every line refunded: its second event. */
export function anOrderCancelledEvent(
  placed: OrderPlacedEvent,
): CloudEvent<typeof orderCancelledType> {
  const { data } = placed;
  const at = '2025-03-01T11:00:00.000Z';
  return {
    id: `event-${randomUUID()}`,
    type: orderCancelledType,
    source: '/services/order',
    subject: placed.subject,
    time: at,
    data: {
      orderId: data.orderId,
      sequence: 2,
      customer: data.customer,
      reason: null,
      sellerIds: [...new Set(data.lines.map((l) => l.sellerId))],
      lines: data.lines,
      refundCents: data.totalCents,
      currency: data.currency,
      cancelledAt: at,
    },
  };
}

/** One seller's part of a placed order shipped. */
export function aPartShippedEvent(
  placed: OrderPlacedEvent,
  sellerId: string,
  trackingNumber: string,
): CloudEvent<typeof orderPartShippedType> {
  const at = '2025-03-02T09:00:00.000Z';
  return {
    id: `event-${randomUUID()}`,
    type: orderPartShippedType,
    source: '/services/order',
    subject: placed.subject,
    time: at,
    data: {
      orderId: placed.data.orderId,
      sequence: 2,
      customer: placed.data.customer,
      sellerId,
      lines: placed.data.lines.filter((l) => l.sellerId === sellerId),
      trackingNumber,
      orderStatus: 'shipped',
      shippedAt: at,
    },
  };
}

export function anOrderLine(overrides: Partial<OrderLine> = {}): OrderLine {
  const quantity = overrides.quantity ?? 1;
  const unitPriceCents = overrides.unitPriceCents ?? 1250;
  return {
    productId: 'product-mug',
    sellerId: 'seller-pottery',
    name: 'Stoneware mug',
    quantity,
    unitPriceCents,
    lineTotalCents: quantity * unitPriceCents,
    ...overrides,
  };
}

/** The data of an `order.placed` event; the total follows the lines unless given. */
export function anOrderPlaced(overrides: Partial<OrderPlacedV1> = {}): OrderPlacedV1 {
  const lines = overrides.lines ?? [anOrderLine()];
  return {
    orderId: `order-${randomUUID()}`,
    customer: { id: 'customer-ada', email: 'ada@example.com' },
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    currency: 'EUR',
    placedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function anOrderPlacedEvent(
  overrides: Partial<Omit<OrderPlacedEvent, 'data'>> & { data?: Partial<OrderPlacedV1> } = {},
): OrderPlacedEvent {
  const { data: dataOverrides, ...context } = overrides;
  const data = anOrderPlaced(dataOverrides);
  return {
    id: `event-${randomUUID()}`,
    type: orderPlacedType,
    source: '/services/order',
    subject: `orders/${data.orderId}`,
    time: data.placedAt,
    data,
    ...context,
  };
}

export function aSegmentChangedEvent(
  data: Partial<CustomerSegmentChangedV1> = {},
): SegmentChangedEvent {
  const change: CustomerSegmentChangedV1 = {
    customerId: 'customer-ada',
    email: 'ada@example.com',
    segment: 'returning',
    previousSegment: 'new',
    orderCount: 2,
    orderId: `order-${randomUUID()}`,
    changedAt: '2025-03-01T10:00:00.000Z',
    ...data,
  };
  return {
    id: `event-${randomUUID()}`,
    type: customerSegmentChangedType,
    source: '/services/segmentation',
    subject: `customers/${change.customerId}`,
    time: change.changedAt,
    data: change,
  };
}

export interface PushEnvelopeOptions {
  messageId?: string;
  subscription?: string;
  deliveryAttempt?: number;
  traceparent?: string;
  /** Merged over the attributes the event produces; `undefined` removes one. */
  attributes?: Record<string, string | undefined>;
  /** The message data as text, instead of the event's own JSON. */
  data?: string;
}

/** The body Pub/Sub POSTs to a push endpoint, carrying `event` as a CloudEvent. */
export function pushEnvelope(event: CloudEvent, options: PushEnvelopeOptions = {}) {
  const message = toMessage(event, options.traceparent);
  const attributes = Object.fromEntries(
    Object.entries({ ...message.attributes, ...options.attributes }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return {
    message: {
      data: Buffer.from(options.data ?? message.data).toString('base64'),
      attributes,
      messageId: options.messageId ?? `message-${randomUUID()}`,
      publishTime: new Date().toISOString(),
    },
    subscription: options.subscription ?? 'projects/test-project/subscriptions/test',
    ...(options.deliveryAttempt === undefined ? {} : { deliveryAttempt: options.deliveryAttempt }),
  };
}
