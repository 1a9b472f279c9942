import { SpanKind } from '@opentelemetry/api';
import type { RequestHandler, Router } from 'express';
import { fromMessage } from '@orderflow/events';
import { attr, contextFromAttributes, errorFields, express, withSpan } from '@orderflow/platform';
import pMap from 'p-map';
import { logRecorded } from './dead-letter-recorder.js';
import { deliveryMetrics, type DeliveryMetrics } from './metrics.js';
import { tryParts } from './part-attempts.js';
import type { DeliveryKey } from './ledger.js';
import type { AnyPartedRoute, DeliveryDeps, Part } from './push-handler.js';

export const partsRetryPath = '/internal/parts/retry';

export interface SweepDeps extends Pick<DeliveryDeps, 'ledger' | 'logger' | 'clock' | 'leaseMs'> {
  route: AnyPartedRoute;
}

/** What one sweep did, as its caller (Cloud Scheduler, the local loop) sees it. */
export interface SweepReport {
  deliveries: number;
  attempts: number;
  done: number;
  retrying: number;
  deadLettered: number;
  /** Deliveries whose claim or settling failed: their parts are due again after the lease. */
  failed: number;
}

/** Deliveries a pass takes, and how many it works on at once. */
const batch = 100;
const concurrency = 16;

/**
 * Retries the parts that are due: each delivery's due parts claimed under a lease in a
 * transaction (so two sweeps, or two instances, never send one part at once), run, and settled
 * in another: done, due again after a backoff, or, after the last attempt, dead-lettered with its
 * record and the order's fulfilment in the same transaction.
 */
export async function sweepParts(
  deps: SweepDeps,
  measure: DeliveryMetrics = deliveryMetrics(),
): Promise<SweepReport> {
  const report: SweepReport = {
    deliveries: 0,
    attempts: 0,
    done: 0,
    retrying: 0,
    deadLettered: 0,
    failed: 0,
  };
  const due = await deps.ledger.dueParts(deps.route.subscriber, deps.clock(), batch);
  await pMap(
    due,
    (key) =>
      retryDelivery(deps, key, report, measure).catch((error: unknown) => {
        report.failed += 1;
        deps.logger.error('part retry failed; due again after the lease', {
          eventId: key.eventId,
          ...errorFields(error),
        });
      }),
    { concurrency },
  );
  return report;
}

async function retryDelivery(
  deps: SweepDeps,
  key: DeliveryKey,
  report: SweepReport,
  measure: DeliveryMetrics,
) {
  const { ledger, route, clock } = deps;
  const claim = await ledger.claimParts(key, clock(), deps.leaseMs);
  if (!claim) return;
  const { delivery } = claim;
  report.deliveries += 1;
  const logger = deps.logger.child({ eventId: delivery.eventId, orderId: delivery.orderId });
  // In the order's trace, beside the push that first tried the parts.
  await withSpan(
    `retry parts ${route.subscriber}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [attr.subscriber]: route.subscriber,
        [attr.eventId]: delivery.eventId,
        [attr.orderId]: delivery.orderId,
      },
    },
    async () => {
      // The event was valid when pushed; the parts are rebuilt from it, by the same names.
      const event = fromMessage(claim.message);
      const attempts = new Map(claim.parts.map((p) => [p.name, p.attempt]));
      const parts = (route.parts as (e: typeof event) => readonly Part[])(event).filter((p) =>
        attempts.has(p.name),
      );
      const outcomes = await tryParts(
        parts,
        (name) => attempts.get(name) ?? 0,
        deps.leaseMs,
        logger,
      );
      const letters = await ledger.settleParts(claim, clock(), outcomes, route.policy);
      report.attempts += outcomes.length;
      for (const outcome of outcomes) {
        const dead = letters.some((l) => l.part === outcome.name);
        if (outcome.error === undefined) report.done += 1;
        else if (dead) report.deadLettered += 1;
        else report.retrying += 1;
        if (outcome.error === undefined)
          logger.info('part done', { part: outcome.name, attempt: outcome.attempt });
      }
      for (const letter of letters) {
        measure.deadLetters.add(1, { subscriber: route.subscriber, reason: 'attempts-exhausted' });
        logRecorded(deps, letter, 'recorded');
      }
    },
    contextFromAttributes(claim.message.attributes),
  );
}

/** `POST /internal/parts/retry`, which Cloud Scheduler calls (locally, the local system). */
export function partsEndpoint(
  deps: SweepDeps & { sweepAuth?: RequestHandler | undefined },
): Router {
  const caller: RequestHandler = deps.sweepAuth ?? ((_req, _res, next) => next());
  const measure = deliveryMetrics();
  return express.Router().post(partsRetryPath, caller, async (_req, res) => {
    const report = await sweepParts(deps, measure);
    // A failure shows in Cloud Scheduler's job status; the parts are due again anyway.
    res.status(report.failed ? 503 : 200).json(report);
  });
}
