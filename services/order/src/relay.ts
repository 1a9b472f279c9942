import { errorFields, type Logger } from '@orderflow/platform';
import type { EventPublisher, Outbox } from './ports.js';

export interface RelayDeps {
  outbox: Outbox;
  publisher: EventPublisher;
  clock: () => Date;
  logger: Logger;
}

export interface RelaySettings {
  /** Entries younger than this are left to the request that wrote them. */
  graceMs: number;
  /** How long a claimed entry is kept from other relays. */
  leaseMs: number;
  batchSize: number;
}

export const defaultRelaySettings: RelaySettings = {
  graceMs: 10_000,
  leaseMs: 30_000,
  batchSize: 100,
};

export interface RelayReport {
  published: number;
  failed: number;
}

/** Publishes the events whose request could not (Pub/Sub down, process killed). */
export async function relayOutbox(deps: RelayDeps, settings: RelaySettings): Promise<RelayReport> {
  const now = deps.clock();
  const entries = await deps.outbox.claimUnpublished(
    new Date(now.getTime() - settings.graceMs),
    now,
    settings.leaseMs,
    settings.batchSize,
  );
  let failed = 0;
  for (const entry of entries) {
    const logger = deps.logger.child({
      eventId: entry.event.id,
      orderId: entry.event.data.orderId,
    });
    try {
      await deps.publisher.publish(entry.event, entry.traceparent);
      await deps.outbox.markPublished(entry.event.id, deps.clock());
      logger.info('relayed an event from the outbox', {
        ageMs: now.getTime() - entry.createdAt.getTime(),
      });
    } catch (error) {
      failed += 1;
      logger.warn('relay could not publish; it will try again', errorFields(error));
    }
  }
  return { published: entries.length - failed, failed };
}
