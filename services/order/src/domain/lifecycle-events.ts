import {
  eventSchemas,
  orderCancelledType,
  orderPartAcceptedType,
  orderPartRejectedType,
  orderPartShippedType,
  type CloudEvent,
  type EventDataByType,
} from '@orderflow/events';
import { AppError } from '@orderflow/platform/errors';
import { eventSource } from './events.js';
import {
  decide,
  type Command,
  type Decision,
  type Lifecycle,
  type OrderRecord,
} from './lifecycle.js';

type LifecycleType =
  | typeof orderCancelledType
  | typeof orderPartAcceptedType
  | typeof orderPartShippedType
  | typeof orderPartRejectedType;

type Changed = Extract<Decision, { kind: 'changed' }>;

export type Applied =
  | { kind: 'unchanged' }
  | {
      kind: 'changed';
      lifecycle: Lifecycle;
      event: CloudEvent;
      cancelledLines: Changed['cancelledLines'];
    };

/** The decision on `command` and, when it changes the order, the event it commits with. */
export function applyCommand(
  order: OrderRecord,
  command: Command,
  now: Date,
  eventId: string,
): Applied {
  const decision = decide(order, command, now);
  if (decision.kind === 'unchanged') return decision;
  return {
    kind: 'changed',
    lifecycle: decision.lifecycle,
    event: transitionEvent(order, command, decision, eventId),
    cancelledLines: decision.cancelledLines,
  };
}

/** The event of a transition, held to its schema before it is committed, like `order.placed`. */
export function transitionEvent(
  order: OrderRecord,
  command: Command,
  change: Changed,
  eventId: string,
): CloudEvent<LifecycleType> {
  const entry = change.lifecycle.history.at(-1);
  if (!entry) throw new Error('a transition without its history entry');
  const at = entry.at;
  const common = { orderId: order.id, sequence: change.lifecycle.sequence };
  const refund = {
    refundCents: change.cancelledLines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    currency: order.currency,
  };
  const partLines = (sellerId: string) => order.lines.filter((l) => l.sellerId === sellerId);
  const orderStatus = change.lifecycle.status;
  switch (command.kind) {
    case 'cancel':
      return event(orderCancelledType, eventId, at, {
        ...common,
        customer: order.customer,
        reason: command.reason ?? null,
        sellerIds: change.sellerIds,
        lines: change.cancelledLines,
        ...refund,
        cancelledAt: at,
      });
    case 'accept':
      return event(orderPartAcceptedType, eventId, at, {
        ...common,
        sellerId: command.sellerId,
        acceptedAt: at,
      });
    case 'ship':
      return event(orderPartShippedType, eventId, at, {
        ...common,
        customer: order.customer,
        sellerId: command.sellerId,
        lines: partLines(command.sellerId),
        trackingNumber: command.trackingNumber,
        orderStatus,
        shippedAt: at,
      });
    case 'reject':
      return event(orderPartRejectedType, eventId, at, {
        ...common,
        customer: order.customer,
        sellerId: command.sellerId,
        reason: command.reason,
        lines: change.cancelledLines,
        ...refund,
        orderStatus,
        rejectedAt: at,
      });
  }
}

function event<T extends LifecycleType>(
  type: T,
  id: string,
  time: string,
  data: EventDataByType[T],
): CloudEvent<LifecycleType> {
  const checked = eventSchemas[type].safeParse(data);
  if (!checked.success) {
    throw new AppError('invalid-order', `the change would make an invalid ${type} event`, {
      invalidParams: checked.error.issues.map((i) => ({
        name: i.path.join('.'),
        reason: i.message,
      })),
    });
  }
  const orderId = (data as { orderId: string }).orderId;
  return {
    id,
    type,
    source: eventSource,
    subject: `orders/${orderId}`,
    time,
    data,
  } as CloudEvent<LifecycleType>;
}
