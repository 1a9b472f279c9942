import { metrics } from '@opentelemetry/api';
import { toMessage, type CloudEvent } from '@orderflow/events';
import { errorFields, withSpan, type Logger } from '@orderflow/platform';
import { metricNames } from '@orderflow/topology';
import pMap from 'p-map';
import type { EventPublisher, Outbox, OutboxEntry } from './ports.js';
import { settleFailures, setAsideEntry, type FailedPublish } from './relay-failures.js';

export interface RelayDeps {
  outbox: Outbox;
  publisher: EventPublisher;
  clock: () => Date;
  logger: Logger;
}

export interface RelaySettings {
  /** Entries younger than this are left to the request that wrote them. */
  graceMs: number;
  /**
   * How long one pass starts publishes. It answers its caller when it ends: at most one publish
   * bound and its last Firestore writes after this, which must still come before the caller's
   * deadline (Cloud Run's request timeout, Cloud Scheduler's attempt deadline; infra derives
   * RELAY_PASS_MS from them). Cut off, a pass would run on with its CPU throttled, unanswered.
   */
  passMs: number;
  /**
   * How long a claimed entry is kept from other relays: longer than a pass, publish included.
   * A pass releases what it claimed and did not publish as it ends; the lease runs out by itself
   * only after a pass that did not finish (its process stopped, or Firestore failed it).
   */
  leaseMs: number;
  /** Entries claimed at a time; a pass claims batch after batch until its time is up. */
  batchSize: number;
  /** Publishes in flight at once. */
  concurrency: number;
  /**
   * How long an entry's own failed publishes may go on before it is set aside for an operator:
   * hours, time enough for a fix to be deployed. An outage never counts (`settleFailures`).
   */
  setAsideAfterMs: number;
}

export const defaultRelaySettings: RelaySettings = {
  graceMs: 10_000,
  passMs: 15_000,
  leaseMs: 60_000,
  batchSize: 100,
  concurrency: 16,
  setAsideAfterMs: 6 * 60 * 60 * 1000,
};

export interface RelayReport {
  published: number;
  failed: number;
  /** Entries that can never be published, or kept failing by their own fault: `outbox status`. */
  setAside: number;
  /** Claimed but left for the next pass when this one ran out of time. */
  deferred: number;
}

/**
 * Publishes the events whose writer could not (Pub/Sub down, process killed). Each publish
 * carries its order's trace context and links to it from the relay's own trace.
 */
export async function relayOutbox(deps: RelayDeps, settings: RelaySettings): Promise<RelayReport> {
  return withSpan('outbox relay', {}, () => relay(deps, settings));
}

/**
 * Claims batch after batch, publishing `concurrency` at once, until nothing old enough is left or
 * the pass's time is up. One batch a pass, one publish at a time, drained 100 events a minute on
 * Google Cloud, while an outage of Pub/Sub leaves an outbox of every order it lasted. A pass also
 * ends after a batch in which every publish failed: Pub/Sub is still down.
 *
 * An entry is tried once a pass: one that failed stays leased until the pass ends, so no later
 * batch takes it again. Then the pass settles its failures (`settleFailures`) and releases what
 * it did not publish, with those it had no time for, and the next pass takes them all. (Left to their lease, they waited a pass
 * more after an outage, or two when the next pass came a moment before the lease ended.)
 */
async function relay(deps: RelayDeps, settings: RelaySettings): Promise<RelayReport> {
  const passStart = deps.clock();
  const deadline = passStart.getTime() + settings.passMs;
  const createdBefore = new Date(passStart.getTime() - settings.graceMs);
  const report: RelayReport = { published: 0, failed: 0, setAside: 0, deferred: 0 };
  const unfinished: string[] = [];
  const failures: FailedPublish[] = [];
  for (let batch = 0; deps.clock().getTime() < deadline; batch += 1) {
    const entries = await deps.outbox.claimUnpublished(
      createdBefore,
      deps.clock(),
      settings.leaseMs,
      settings.batchSize,
    );
    if (batch === 0) {
      const oldest = entries[0]?.createdAt.getTime() ?? passStart.getTime();
      pendingAge().record((passStart.getTime() - oldest) / 1000);
    }
    const outcomes = await pMap(
      entries,
      async (entry) => {
        const outcome =
          deps.clock().getTime() >= deadline
            ? ('deferred' as const)
            : await relayOne(deps, entry, passStart, failures);
        if (outcome === 'failed' || outcome === 'deferred') unfinished.push(entry.event.id);
        return outcome;
      },
      { concurrency: settings.concurrency },
    );
    for (const outcome of outcomes) report[outcome] += 1;
    const stillDown = outcomes.includes('failed') && !outcomes.includes('published');
    if (entries.length < settings.batchSize || stillDown) break;
  }
  const setAside = await settleFailures(deps, failures, {
    anyPublished: report.published > 0,
    setAsideAfterMs: settings.setAsideAfterMs,
  });
  report.failed -= setAside.length;
  report.setAside += setAside.length;
  await deps.outbox.release(unfinished.filter((id) => !setAside.includes(id)));
  return report;
}

/** Publishes one entry; a failure is left in `failures` for the pass to settle. */
async function relayOne(
  deps: RelayDeps,
  entry: OutboxEntry,
  passStart: Date,
  failures: FailedPublish[],
): Promise<'published' | 'failed' | 'setAside'> {
  const { event } = entry;
  const logger = deps.logger.child({ eventId: event.id, orderId: event.data.orderId });
  const invalid = invalidReason(event);
  if (invalid) {
    await setAsideEntry(deps, event.id, invalid, logger);
    return 'setAside';
  }
  try {
    await deps.publisher.publish(event, entry.traceparent);
  } catch (error) {
    failures.push({ entry, error });
    return 'failed';
  }
  await deps.outbox.markPublished(event.id, deps.clock());
  logger.info('relayed an event from the outbox', {
    ageMs: passStart.getTime() - entry.createdAt.getTime(),
  });
  return 'published';
}

/** Why the event can never be published (what the publisher would refuse), or undefined. */
function invalidReason(event: CloudEvent): string | undefined {
  try {
    toMessage(event);
    return undefined;
  } catch (error) {
    return `not a valid ${event.type}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** One relay pass at a time, every `intervalMs`: the local stand-in for Cloud Scheduler. */
export function startRelayLoop(
  deps: RelayDeps,
  settings: RelaySettings,
  intervalMs: number,
): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    relayOutbox(deps, settings)
      .catch((error: unknown) => {
        deps.logger.error('outbox relay pass failed', errorFields(error));
      })
      .finally(() => (running = false));
  }, intervalMs);
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
