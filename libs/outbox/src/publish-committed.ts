import type { CloudEvent } from '@orderflow/events';
import { errorFields, type Logger } from '@orderflow/platform';
import type { EventPublisher, Outbox } from './ports.js';

export interface PublishDeps {
  outbox: Outbox;
  publisher: EventPublisher;
  clock: () => Date;
}

/**
 * Publishes, within the active trace, an event its writer has just committed to the outbox. A
 * failed publish is left to the relay when the publisher allows it (and rethrown when not:
 * request-response delivery).
 */
export async function publishCommitted(
  deps: PublishDeps,
  event: CloudEvent,
  logger: Logger,
): Promise<void> {
  try {
    await deps.publisher.publish(event);
  } catch (error) {
    if (!deps.publisher.retriableLater) throw error;
    logger.warn('event not published yet; the outbox relay will publish it', errorFields(error));
    return;
  }
  // Off the caller's path: should the mark be lost, the relay publishes the event again and
  // every subscriber drops the duplicate by its event id.
  deps.outbox.markPublished(event.id, deps.clock()).catch((error: unknown) => {
    logger.warn(
      'event published but not marked; the relay will publish it again',
      errorFields(error),
    );
  });
}
