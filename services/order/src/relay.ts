import { metrics } from '@opentelemetry/api';
import { errorFields, withSpan, type Logger } from '@orderflow/platform';
import { metricNames } from '@orderflow/topology';
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

/**
 * Publishes the events whose request could not (Pub/Sub down, process killed). Each publish
 * carries its order's trace context and links to it from the relay's own trace.
 */
export async function relayOutbox(deps: RelayDeps, settings: RelaySettings): Promise<RelayReport> {
  return withSpan('outbox relay', {}, () => relay(deps, settings));
}

async function relay(deps: RelayDeps, settings: RelaySettings): Promise<RelayReport> {
  const now = deps.clock();
  const entries = await deps.outbox.claimUnpublished(
    new Date(now.getTime() - settings.graceMs),
    now,
    settings.leaseMs,
    settings.batchSize,
  );
  const oldest = entries[0]?.createdAt.getTime() ?? now.getTime();
  pendingAge().record((now.getTime() - oldest) / 1000);
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

/**
 * The age of the oldest entry the relay found unpublished (0 when none): the outbox alert's
 * signal. The relay runs every minute, so the gauge is as fresh as that.
 */
function pendingAge() {
  return metrics.getMeter('orderflow').createGauge(metricNames.outboxPendingAge, {
    unit: 's',
    description: 'Age of the oldest outbox entry the relay found unpublished',
  });
}
