import { SpanKind, type Span } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import { fromMessage, InvalidEventError, type CloudEvent, type EventType } from '@orderflow/events';
import {
  AppError,
  attr,
  contextFromAttributes,
  errorFields,
  withSpan,
  type Logger,
} from '@orderflow/platform';
import type { DeadLetterSink } from './dead-letter-sink.js';
import { messageKey, type DeliveryContext } from './delivery.js';
import type { DeliveryLedger } from './ledger.js';
import { deliveryMetrics, type DeliveryMetrics } from './metrics.js';
import { tryParts, type Part } from './part-attempts.js';
import type { PartPolicy } from './parts.js';
import { decodeMessage, parseEnvelope, type PushEnvelope } from './push-envelope.js';

export interface Delivery<T extends EventType = EventType> {
  event: CloudEvent<T>;
  attempt: number;
  logger: Logger;
  /** Aborts when the attempt nears the end of its lease: stop, so no second attempt overlaps. */
  signal: AbortSignal;
  /** Runs `work` unless an earlier attempt of this delivery already completed `name`. */
  step: (name: string, work: () => Promise<void>) => Promise<void>;
}

/** The work a subscriber does for one event. It throws to have Pub/Sub retry. */
export type Effect<T extends EventType = EventType> = (delivery: Delivery<T>) => Promise<void>;

/** One independent part of the work for an event: one seller to tell. */

/** The parts of the work for one event: the same names every time for the same event. */
export type PartsOf<T extends EventType = EventType> = (event: CloudEvent<T>) => readonly Part[];

/** One push route: the subscriber it serves (as the topology names it), what it hears, what it does. */
export type Route = {
  [T in EventType]:
    { subscriber: string; eventType: T; effect: Effect<T>; parts?: undefined } | PartedRoute<T>;
}[EventType];

/** A route whose work is in parts, each retried by the sweep on its own (see parts.ts). */
export interface PartedRoute<T extends EventType = EventType> {
  subscriber: string;
  eventType: T;
  parts: PartsOf<T>;
  policy: PartPolicy;
  effect?: undefined;
}

export function route<T extends EventType>(
  subscriber: string,
  eventType: T,
  effect: Effect<T>,
): Route {
  return { subscriber, eventType, effect } as Route;
}

/** A parted route of any event type, as the sweep takes it. */
export type AnyPartedRoute = Omit<PartedRoute, 'parts'> & {
  parts: (event: never) => readonly Part[];
};

export function partedRoute<T extends EventType>(
  subscriber: string,
  eventType: T,
  parts: PartsOf<T>,
  policy: PartPolicy,
): PartedRoute<T> & Route {
  return { subscriber, eventType, parts, policy } as PartedRoute<T> & Route;
}

/** What handling a delivery needs, whatever the subscriber. */
export interface DeliveryDeps {
  ledger: DeliveryLedger;
  /** This subscriber's dead-letter topic, for messages that can never succeed. */
  deadLetters: DeadLetterSink;
  logger: Logger;
  clock: () => Date;
  projectId: string;
  /** The dead-letter policy's limit: the attempt that reaches it is the last. */
  maxDeliveryAttempts: number;
  /** How long one attempt holds the event against concurrent deliveries. */
  leaseMs: number;
}

export type PushHandlerOptions = DeliveryDeps & Route;

/**
 * Receives a Pub/Sub push, validates it and runs the effect once per event id.
 * It answers 2xx only when the work is done; anything else makes Pub/Sub retry
 * with backoff and, after the last attempt, dead-letter the message.
 *
 * Each attempt is a span in the order's trace: its parent is the `ce-traceparent` the message
 * carries, not the push request's own headers, so a retry is a new span beside the first.
 */
export function pushHandler(options: PushHandlerOptions): RequestHandler {
  const measure = deliveryMetrics();
  return async (req, res) => {
    const envelope = parseEnvelope(req.body);
    const subscription = envelope.subscription.split('/').pop() ?? envelope.subscription;
    await withSpan(
      `process ${subscription}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'process',
          'messaging.destination.subscription.name': subscription,
          'messaging.message.id': envelope.message.messageId,
          [attr.subscriber]: options.subscriber,
          ...(envelope.deliveryAttempt && {
            'messaging.gcp_pubsub.message.delivery_attempt': envelope.deliveryAttempt,
          }),
        },
      },
      (span) => handle(envelope, res, span, options, measure),
      contextFromAttributes(envelope.message.attributes),
    );
  };
}

async function handle(
  envelope: PushEnvelope,
  res: Response,
  span: Span,
  options: PushHandlerOptions,
  measure: DeliveryMetrics,
): Promise<void> {
  const { ledger, clock } = options;
  const outcome = (value: string) => span.setAttribute(attr.outcome, value);
  const event = await parseEvent(envelope, options, measure);
  if (!event) {
    outcome('rejected');
    res.status(204).end();
    return;
  }
  const delivery: DeliveryContext = {
    subscriber: options.subscriber,
    eventId: event.id,
    orderId: event.data.orderId,
    eventType: event.type,
  };
  span.setAttributes({ [attr.eventId]: event.id, [attr.orderId]: delivery.orderId });
  const logger = options.logger.child({
    eventId: event.id,
    orderId: delivery.orderId,
    messageId: envelope.message.messageId,
  });

  const begun = await ledger.begin(delivery, clock(), options.leaseMs);
  if (begun.status === 'done') {
    outcome('duplicate');
    logger.info('already handled; acknowledging the redelivery');
    res.status(204).end();
    return;
  }
  if (begun.status === 'busy') {
    outcome('busy');
    logger.info('another delivery of this event is in progress');
    throw new AppError('delivery-in-progress', `event ${event.id} is being handled`);
  }

  // Pub/Sub's own count, where it sends one, includes deliveries this ledger never saw.
  const attempt = Math.max(begun.attempt, envelope.deliveryAttempt ?? 0);
  span.setAttribute(attr.deliveryAttempt, attempt);
  const recorded = { subscriber: options.subscriber };
  const completed = new Set(begun.completedSteps);
  if (options.parts) {
    // Each part new to the delivery tried once; what failed is the sweep's to retry.
    const partsOf = options.parts as (e: CloudEvent) => readonly Part[];
    const fresh = partsOf(event).filter((part) => !completed.has(part.name));
    const outcomes = await tryParts(fresh, () => 1, options.leaseMs, logger);
    const message = decodeMessage(envelope);
    await ledger.settlePushedParts(delivery, clock(), {
      attempt: begun.attempt,
      message,
      outcomes,
      policy: options.policy,
    });
    outcome(outcomes.some((o) => o.error !== undefined) ? 'parts-retrying' : 'done');
    measure.attempts.record(attempt, { ...recorded, outcome: 'done' });
    // Handled: every part is done or recorded for the sweep, which retries the failed ones.
    logger.info('handled', {
      attempt,
      failedParts: outcomes.filter((o) => o.error !== undefined).map((o) => o.name),
    });
    res.status(204).end();
    return;
  }
  try {
    // parseEvent admitted only events of the route's type.
    await (options.effect as Effect)({
      event,
      attempt,
      logger,
      signal: AbortSignal.timeout(options.leaseMs * 0.8),
      step: async (name, work) => {
        if (completed.has(name)) return;
        await withSpan(`step ${name}`, {}, work);
        await ledger.completeStep(delivery, name);
      },
    });
  } catch (error) {
    const last = attempt >= options.maxDeliveryAttempts;
    const message = error instanceof Error ? error.message : String(error);
    outcome(last ? 'dead-lettered' : 'failed');
    await ledger.fail(delivery, clock(), { error: message, attempt: begun.attempt });
    if (last) {
      // Pub/Sub moves the message to the dead-letter topic after this answer.
      measure.attempts.record(attempt, { ...recorded, outcome: 'dead-lettered' });
      measure.deadLetters.add(1, { ...recorded, reason: 'attempts-exhausted' });
    }
    logger[last ? 'error' : 'warn'](
      last ? 'effect failed on the last attempt' : 'effect failed; Pub/Sub will retry',
      { attempt, ...errorFields(error) },
    );
    throw new AppError('effect-failed', message, { attempt });
  }
  await ledger.complete(delivery, clock(), begun.attempt);
  outcome('done');
  measure.attempts.record(attempt, { ...recorded, outcome: 'done' });
  measure.effectLag.record((clock().getTime() - Date.parse(event.time)) / 1000, recorded);
  logger.info('handled', { attempt });
  res.status(204).end();
}

/** The event, or undefined for a message that is not a valid event, which goes to the dead-letter topic. */
async function parseEvent(
  envelope: PushEnvelope,
  options: PushHandlerOptions,
  measure: DeliveryMetrics,
): Promise<CloudEvent | undefined> {
  const { message } = envelope;
  const { data } = decodeMessage(envelope);
  try {
    const event = fromMessage({ data, attributes: message.attributes });
    if (event.type !== options.eventType) {
      throw new InvalidEventError(
        `${options.subscriber} expects ${options.eventType}, not ${event.type}`,
      );
    }
    return event;
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const key = messageKey(data, message.attributes);
    await options.ledger.reject(options.subscriber, key, error.message, options.clock());
    await options.deadLetters.send(
      options.subscriber,
      { data, attributes: message.attributes },
      error.message,
    );
    measure.deadLetters.add(1, { subscriber: options.subscriber, reason: 'invalid-event' });
    options.logger.error('moved an invalid event to the dead-letter topic', {
      messageId: message.messageId,
      messageKey: key,
      reason: error.message,
    });
    return undefined;
  }
}
