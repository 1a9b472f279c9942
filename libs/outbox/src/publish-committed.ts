import type { CloudEvent } from '@orderflow/events';
import { errorFields, type Logger } from '@orderflow/platform';
import type { EventPublisher, Outbox } from './ports.js';
import { PublishPaused, type PublishBreaker } from './publish-breaker.js';

export interface PublishDeps {
  outbox: Outbox;
  publisher: EventPublisher;
  clock: () => Date;
  /** Pauses publishing from requests while Pub/Sub keeps failing; for retriable publishers only. */
  publishBreaker?: PublishBreaker | undefined;
}

/**
 * Publishes, within the active trace, an event its writer has just committed to the outbox. A
 * failed publish is left to the relay when the publisher allows it (and rethrown when not:
 * request-response delivery). While the breaker has publishing paused, the relay publishes it.
 */
export async function publishCommitted(
  deps: PublishDeps,
  event: CloudEvent,
  logger: Logger,
): Promise<void> {
  const publish = () => deps.publisher.publish(event);
  try {
    await (deps.publishBreaker ? deps.publishBreaker.run(publish) : publish());
  } catch (error) {
    if (!deps.publisher.retriableLater) throw error;
    if (error instanceof PublishPaused) {
      logger.debug('publishing paused; the outbox relay will publish the event');
      return;
    }
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
