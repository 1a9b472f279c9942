import { publishCommitted, type PublishDeps } from '@orderflow/outbox';
import { attr, traceparentOf, withSpan, type Logger } from '@orderflow/platform';
import type { Command, OrderRecord } from './domain/lifecycle.js';
import type { OrderTransitions } from './ports.js';

export interface TransitionDeps extends PublishDeps {
  transitions: OrderTransitions;
  newId: () => string;
}

/**
 * Commits a transition of the order (its lifecycle, restored stock and event together), then
 * publishes the event as placement does: a failed publish is the relay's to retry. A command
 * already carried out answers with the order as it is, and publishes nothing.
 */
export async function transitionOrder(
  deps: TransitionDeps,
  orderId: string,
  command: Command,
  logger: Logger,
): Promise<OrderRecord> {
  const eventId = deps.newId();
  const outcome = await withSpan('order transition', {}, async (span) => {
    const changed = await deps.transitions.transition({
      orderId,
      eventId,
      command,
      now: deps.clock(),
      traceparent: traceparentOf(),
    });
    span.setAttributes({
      [attr.orderId]: orderId,
      [attr.outcome]: changed.kind,
      ...(changed.kind === 'changed' ? { [attr.eventId]: eventId } : {}),
    });
    return changed;
  });
  if (outcome.kind === 'unchanged') return outcome.order;
  const log = logger.child({ orderId, eventId });
  log.info('order changed', { command: command.kind, status: outcome.order.status });
  await publishCommitted(deps, outcome.event, log);
  return outcome.order;
}
