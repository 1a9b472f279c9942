import { publishCommitted, type EventPublisher, type PublishDeps } from '@orderflow/outbox';
import { attr, traceparentOf, withSpan, type Logger } from '@orderflow/platform';
import type { IdempotencyKey } from './domain/idempotency.js';
import type { Customer, Order, OrderItem } from './domain/order.js';
import { within } from './adapters/deadline.js';
import type { OrderStore } from './ports.js';

export interface PlaceOrderDeps extends PublishDeps {
  store: OrderStore;
  newId: () => string;
}

export interface PlaceOrderRequest {
  customer: Customer;
  items: readonly OrderItem[];
  idempotency?: IdempotencyKey | undefined;
  logger: Logger;
  /** When the store must have answered (it fails with `busy` rather than later). */
  deadline?: Date | undefined;
  /** When the request must be answered: a publish still running then is left to the relay. */
  answerBy?: Date | undefined;
}

/** Kept between the end of a publish and the request's deadline, to write the answer. */
const answerReserveMs = 100;

export interface PlaceOrderResult {
  order: Order;
  /** True when an earlier request with the same Idempotency-Key placed this order. */
  replayed: boolean;
}

/**
 * Commits the order, its stock, its event and its idempotency key together, then publishes
 * the event. A failed publish does not fail the order when the outbox relay will publish the
 * event later; a publisher that cannot be retried later fails the request instead.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResult> {
  const orderId = deps.newId();
  const eventId = deps.newId();
  // The trace context saved with the event is this span's: a late publish by the relay joins it.
  const outcome = await withSpan('order transaction', {}, async (span) => {
    const placed = await deps.store.placeOrder({
      orderId,
      eventId,
      customer: request.customer,
      items: request.items,
      now: deps.clock(),
      traceparent: traceparentOf(),
      idempotency: request.idempotency,
      deadline: request.deadline,
    });
    span.setAttributes(
      placed.kind === 'placed'
        ? { [attr.orderId]: orderId, [attr.eventId]: eventId, [attr.outcome]: 'placed' }
        : { [attr.orderId]: placed.order.id, [attr.outcome]: 'replayed' },
    );
    return placed;
  });
  if (outcome.kind === 'replayed') return { order: outcome.order, replayed: true };

  const { order, event } = outcome;
  const logger = request.logger.child({ orderId: order.id, eventId: event.id });
  logger.info('order placed', { totalCents: order.totalCents });
  // A commit that resolved just before the store's deadline leaves less than the publish's own
  // timeout: the publish waits only for the time left, so that the placed order answers 201.
  const publisher = request.answerBy
    ? publishingUntil(deps.publisher, request.answerBy.getTime() - answerReserveMs)
    : deps.publisher;
  await publishCommitted({ ...deps, publisher }, event, logger);
  return { order, replayed: false };
}

/** The publisher, each publish bounded by `until` (epoch ms); what it cuts off, the relay publishes. */
function publishingUntil(publisher: EventPublisher, until: number): EventPublisher {
  return {
    retriableLater: publisher.retriableLater,
    publish: (event, origin) => within(until, publisher.publish(event, origin), 'publishing'),
  };
}
