import { SpanKind } from '@opentelemetry/api';
import type { RequestHandler, Router } from 'express';
import { fromMessage } from '@orderflow/events';
import {
  attr,
  contextFromAttributes,
  errorFields,
  express,
  withSpan,
  type Logger,
} from '@orderflow/platform';
import pMap from 'p-map';
import type { DeadLetterRecord } from './dead-letter-record.js';
import { logRecorded } from './dead-letter-recorder.js';
import { deliveryMetrics, type DeliveryMetrics } from './metrics.js';
import { tryParts } from './part-attempts.js';
import type { DeliveryKey } from './delivery.js';
import type { Part } from './part-attempts.js';
import type { PartClaim, PartOutcome } from './parts.js';
import type { AnyPartedRoute, DeliveryDeps } from './push-handler.js';

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
  /**
   * Retries that threw: after the claim (their parts settled as failed attempts), or in the claim
   * or the settling (due again after the lease; dead-lettered by the claim after the last).
   */
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
  const claim = await ledger.claimParts(key, clock(), deps.leaseMs, route.policy);
  if (!claim) return;
  const { delivery } = claim;
  report.deliveries += 1;
  const logger = deps.logger.child({ eventId: delivery.eventId, orderId: delivery.orderId });
  const recorded = (letters: readonly DeadLetterRecord[]) => {
    report.deadLettered += letters.length;
    for (const letter of letters) {
      measure.deadLetters.add(1, { subscriber: route.subscriber, reason: 'attempts-exhausted' });
      logRecorded(deps, letter, 'recorded');
    }
  };
  recorded(claim.deadLettered);
  if (claim.parts.length === 0) return;
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
      const outcomes = await runClaimed(deps, claim, logger).catch((error: unknown) => {
        // Whatever threw, the claimed attempts failed: settled as such, they back off and,
        // at the last, are dead-lettered, instead of being claimed again at every lease's end.
        report.failed += 1;
        logger.error('part retry failed; settled as failed', errorFields(error));
        const message = error instanceof Error ? error.message : String(error);
        return claim.parts.map((part) => ({ ...part, error: `the retry failed: ${message}` }));
      });
      const letters = await ledger.settleParts(claim, clock(), outcomes, route.policy);
      report.attempts += outcomes.length;
      for (const outcome of outcomes) {
        if (outcome.error === undefined) report.done += 1;
        else if (!letters.some((l) => l.part === outcome.name)) report.retrying += 1;
        if (outcome.error === undefined)
          logger.info('part done', { part: outcome.name, attempt: outcome.attempt });
      }
      recorded(letters);
    },
    contextFromAttributes(claim.message.attributes),
  );
}

/** The claimed parts, rebuilt from the event (valid when pushed) by the same names, and run. */
function runClaimed(deps: SweepDeps, claim: PartClaim, logger: Logger): Promise<PartOutcome[]> {
  const event = fromMessage(claim.message);
  const attempts = new Map(claim.parts.map((p) => [p.name, p.attempt]));
  const parts = (deps.route.parts as (e: typeof event) => readonly Part[])(event).filter((p) =>
    attempts.has(p.name),
  );
  return tryParts(parts, (name) => attempts.get(name) ?? 0, deps.leaseMs, logger);
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
