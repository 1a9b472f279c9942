import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { fromMessage, type EventMessage } from '@orderflow/events';
import { errorFields, type Logger } from '@orderflow/platform';
import { metricNames } from '@orderflow/topology';
import pMap from 'p-map';
import { replayAttribute } from './dead-letter-record.js';
import type { DeliveryLedger } from './ledger.js';

/**
 * The safety net beside Pub/Sub. Delivery rests on Pub/Sub pushing a message until the
 * subscriber has handled it; when it does not (the emulator holds a message back for minutes
 * after a run of failed pushes, a subscription recreated, a message past its retention), the
 * order would wait `pending` for ever. A reconciler pass finds, for each subscriber, the events
 * its publisher committed (the outbox) that never reached the subscriber's ledger, and the
 * deliveries left unfinished, both older than a bound, and sends each again through the
 * subscriber's replay topic. Each is handed to its replay in the ledger first (`redrive`), so of
 * two passes, or a pass and a push, the effect still runs once.
 */
export interface EventArchive {
  /** The events of `eventType` committed in (`after`, `until`], oldest first, at most `limit`. */
  committed(eventType: string, after: Date, until: Date, limit: number): Promise<Committed[]>;
  /** The events of `eventType` by id; an id the archive no longer holds is left out. */
  byIds(eventType: string, ids: readonly string[]): Promise<EventMessage[]>;
}

export interface Committed {
  message: EventMessage;
  committedAt: Date;
}

/** Publishes a message to one subscriber's replay topic, which only that subscriber hears. */
export interface ReplayPublisher {
  publish(subscriber: string, message: EventMessage): Promise<void>;
}

export interface ReconcileDeps {
  ledger: DeliveryLedger;
  events: EventArchive;
  replays: ReplayPublisher;
  clock: () => Date;
  logger: Logger;
}

export interface ReconcilePolicy {
  /** A delivery is re-driven once it is this old and still not handled: past Pub/Sub's own retries. */
  olderThanMs: number;
  /** How far behind the bound a pass looks for events that never arrived. */
  lookbackMs: number;
}

/** One subscriber of one event type, as the topology names them. */
export interface Reconciled {
  subscriber: string;
  eventType: string;
}

export interface ReconcileReport {
  /** Re-driven because no push of them had reached the subscriber. */
  unrecorded: number;
  /** Re-driven because they were left unfinished. */
  stalled: number;
  /** Unfinished, but the event is no longer in its outbox: for an operator (logged at ERROR). */
  lost: number;
}

/** Outbox entries read at a time; unfinished deliveries a pass takes (the next takes the rest). */
const batch = 500;
const concurrency = 16;

export async function reconcile(
  deps: ReconcileDeps,
  subscribers: readonly Reconciled[],
  policy: ReconcilePolicy,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { unrecorded: 0, stalled: 0, lost: 0 };
  const redriven = metrics.getMeter('orderflow').createCounter(metricNames.redriven, {
    description: 'Deliveries the reconciler sent again: Pub/Sub had not brought them in time',
  });
  for (const target of subscribers) {
    const found = await findPending(deps, target, policy);
    report.lost += found.lost;
    await pMap(
      found.pending,
      async ({ message, reason }) => {
        if (!(await redrive(deps, target.subscriber, message, found.before))) return;
        report[reason] += 1;
        redriven.add(1, { subscriber: target.subscriber, reason });
      },
      { concurrency },
    );
  }
  return report;
}

type Reason = 'unrecorded' | 'stalled';

/** What a pass should send again for one subscriber, with why. */
export async function findPending(
  { ledger, events, clock, logger }: ReconcileDeps,
  { subscriber, eventType }: Reconciled,
  policy: ReconcilePolicy,
): Promise<{ before: Date; pending: { message: EventMessage; reason: Reason }[]; lost: number }> {
  const now = clock();
  const before = new Date(now.getTime() - policy.olderThanMs);
  const after = new Date(before.getTime() - policy.lookbackMs);
  const missing: EventMessage[] = [];
  for (let from = after; ;) {
    const page = await events.committed(eventType, from, before, batch);
    const ids = new Set(
      await ledger.unrecorded(
        subscriber,
        page.map((c) => idOf(c.message)),
      ),
    );
    missing.push(...page.filter((c) => ids.has(idOf(c.message))).map((c) => c.message));
    const last = page.at(-1);
    if (page.length < batch || !last) break;
    from = last.committedAt;
  }
  const stalledIds = (await ledger.stalled(subscriber, before, now, batch)).map((k) => k.eventId);
  const stalled = await events.byIds(eventType, stalledIds);
  const lost = stalledIds.filter((id) => !stalled.some((m) => idOf(m) === id));
  for (const eventId of lost) {
    logger.error('an unfinished delivery whose event is no longer in its outbox', {
      subscriber,
      eventId,
    });
  }
  return {
    before,
    lost: lost.length,
    pending: [
      ...missing.map((message) => ({ message, reason: 'unrecorded' as const })),
      ...stalled.map((message) => ({ message, reason: 'stalled' as const })),
    ],
  };
}

/** Hands the delivery to a new replay in the ledger, then publishes it with that replay's id. */
async function redrive(
  { ledger, replays, clock, logger }: ReconcileDeps,
  subscriber: string,
  message: EventMessage,
  before: Date,
): Promise<boolean> {
  // The outbox holds only events that were valid when committed.
  const event = fromMessage(message);
  const delivery = {
    subscriber,
    eventId: event.id,
    orderId: event.data.orderId,
    eventType: event.type,
  };
  const replay = randomUUID();
  if (!(await ledger.redrive(delivery, clock(), before, replay))) return false;
  const log = { subscriber, eventId: event.id, orderId: delivery.orderId, replay };
  try {
    await replays.publish(subscriber, {
      ...message,
      attributes: { ...message.attributes, [replayAttribute]: replay },
    });
  } catch (error) {
    // Left `replaying`: the pass after the bound takes it again.
    logger.error('could not re-drive a delivery; the next pass tries again', {
      ...log,
      ...errorFields(error),
    });
    return false;
  }
  logger.warn('re-drove a delivery Pub/Sub had not brought', log);
  return true;
}

const idOf = (message: EventMessage) => message.attributes['ce-id'] ?? '';
