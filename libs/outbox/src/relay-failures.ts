import { errorFields, type Logger } from '@orderflow/platform';
import pMap from 'p-map';
import type { Outbox, OutboxEntry } from './ports.js';
import { PublishTimedOut } from './pubsub-publisher.js';

/** Logged at ERROR for every entry set aside: the alert counts it. */
export const setAsideLogMessage = 'outbox entry set aside';

export interface FailureDeps {
  outbox: Outbox;
  clock: () => Date;
  logger: Logger;
}

/** A publish of the pass that failed. */
export interface FailedPublish {
  entry: OutboxEntry;
  error: unknown;
}

/**
 * The gRPC codes on which the Pub/Sub client retries a publish itself (its publisher config):
 * Pub/Sub unreachable, overloaded or slow, whatever the message. As numbers, like the Firestore
 * outbox's codes: google-gax's `Status` would load the client library with the service.
 */
const outageCodes = new Set([
  1, // CANCELLED
  2, // UNKNOWN
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED
  13, // INTERNAL
  14, // UNAVAILABLE
]);

/** Whether every entry would have met this failure alike: an outage, not the entry's fault. */
export function isOutage(error: unknown): boolean {
  if (error instanceof PublishTimedOut) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && outageCodes.has(code);
}

/**
 * Records a pass's failed publishes once it is over, when it is known whether any publish got
 * through. A pass in which none did met an outage, as did a publish that failed with an outage's
 * code: neither counts against the entry, however long it lasts, for an accepted order's event
 * must reach its subscribers once Pub/Sub is back. Only an entry's own failures count, in time:
 * once they have gone on for `setAsideAfterMs`, the entry is set aside (and alerted on) so that
 * an operator looks at it. Gives the ids set aside.
 */
export async function settleFailures(
  deps: FailureDeps,
  failures: readonly FailedPublish[],
  { anyPublished, setAsideAfterMs }: { anyPublished: boolean; setAsideAfterMs: number },
): Promise<string[]> {
  const setAside = await pMap(
    failures,
    async ({ entry, error }) => {
      const { event } = entry;
      const logger = deps.logger.child({ eventId: event.id, orderId: event.data.orderId });
      const message = error instanceof Error ? error.message : String(error);
      const at = deps.clock();
      const own = anyPublished && !isOutage(error);
      const failingSince = await deps.outbox.recordFailure(event.id, { error: message, at, own });
      if (!own || !failingSince || at.getTime() - failingSince.getTime() < setAsideAfterMs) {
        logger.warn('relay could not publish; it will try again', { own, ...errorFields(error) });
        return undefined;
      }
      await setAsideEntry(
        deps,
        event.id,
        `failing since ${failingSince.toISOString()}: ${message}`,
        logger,
      );
      return event.id;
    },
    { concurrency: 16 },
  );
  return setAside.filter((id) => id !== undefined);
}

/** Moves an entry out of the relay's way, with why, and says so to the alert. */
export async function setAsideEntry(
  deps: FailureDeps,
  eventId: string,
  reason: string,
  logger: Logger,
): Promise<void> {
  await deps.outbox.setAside(eventId, reason, deps.clock());
  logger.error(setAsideLogMessage, { reason });
}
