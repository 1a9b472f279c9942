import { AppError, errorFields, type Logger } from '@orderflow/platform';
import type { Customer, Order, OrderItem } from './domain/order.js';
import type { EventPublisher, IdempotencyClaim, Outbox, OrderStore } from './ports.js';

export interface PlaceOrderDeps {
  store: OrderStore;
  outbox: Outbox;
  publisher: EventPublisher;
  clock: () => Date;
  newId: () => string;
  /** A claim older than this belongs to a request that died; its key may be used again. */
  idempotencyStaleAfterMs: number;
}

export interface PlaceOrderRequest {
  customer: Customer;
  items: readonly OrderItem[];
  idempotency?: IdempotencyClaim | undefined;
  traceparent?: string | undefined;
  logger: Logger;
}

export interface PlaceOrderResult {
  order: Order;
  /** True when an earlier request with the same Idempotency-Key placed this order. */
  replayed: boolean;
}

/**
 * Commits the order, its stock and its event together, then publishes the event.
 * A failed publish does not fail the order when the outbox relay will publish the event later;
 * a publisher that cannot be retried later fails the request instead.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResult> {
  const { store, clock } = deps;
  if (request.idempotency) {
    const replay = await claim(deps, request.idempotency);
    if (replay) return { order: replay, replayed: true };
  }

  const placed = await store
    .placeOrder({
      orderId: deps.newId(),
      eventId: deps.newId(),
      customer: request.customer,
      items: request.items,
      now: clock(),
      traceparent: request.traceparent,
      idempotency: request.idempotency,
    })
    .catch(async (error: unknown) => {
      if (request.idempotency) await store.releaseIdempotencyKey(request.idempotency);
      throw error;
    });

  const logger = request.logger.child({ orderId: placed.order.id, eventId: placed.event.id });
  logger.info('order placed', { totalCents: placed.order.totalCents });
  try {
    await deps.publisher.publish(placed.event, request.traceparent);
    await deps.outbox.markPublished(placed.event.id, clock());
  } catch (error) {
    if (!deps.publisher.retriableLater) throw error;
    logger.warn('event not published yet; the outbox relay will publish it', errorFields(error));
  }
  return { order: placed.order, replayed: false };
}

async function claim(deps: PlaceOrderDeps, idempotency: IdempotencyClaim) {
  const outcome = await deps.store.claimIdempotencyKey(
    idempotency,
    deps.clock(),
    deps.idempotencyStaleAfterMs,
  );
  switch (outcome.status) {
    case 'claimed':
      return undefined;
    case 'in-flight':
      throw new AppError('idempotency-key-in-flight', 'retry once the first request has finished');
    case 'mismatch':
      throw new AppError('idempotency-key-reused', 'use a new key for a different order');
    case 'completed': {
      const view = await deps.store.findOrder(outcome.orderId);
      if (!view) throw new Error(`idempotency key points to missing order ${outcome.orderId}`);
      return view.order;
    }
  }
}
