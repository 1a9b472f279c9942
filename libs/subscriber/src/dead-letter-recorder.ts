import { SpanKind } from '@opentelemetry/api';
import { AppError, attr, contextFromAttributes, withSpan } from '@orderflow/platform';
import type { RequestHandler } from 'express';
import { deadLetterRecordedMessage } from '@orderflow/topology';
import { deadLetterOf, type DeadLetterRecord } from './dead-letter-record.js';
import type { DeliveryDeps } from './push-handler.js';
import { decodeMessage, parseEnvelope } from './push-envelope.js';
import type { RecordOutcome } from './ledger.js';

/**
 * Receives what Pub/Sub pushes from this subscriber's dead-letter topic and records it
 * (`deadLetters` in Firestore), then answers 2xx. A failure answers non-2xx, so Pub/Sub keeps
 * the dead letter and pushes it again: none is lost, and a repeat is recorded once.
 */
export function deadLetterRecorder(options: DeliveryDeps & { subscriber: string }): RequestHandler {
  return async (req, res) => {
    const envelope = parseEnvelope(req.body);
    const { data, attributes } = decodeMessage(envelope);
    const record = deadLetterOf(
      options.subscriber,
      { data, attributes, messageId: envelope.message.messageId },
      options.clock(),
    );
    // In the order's trace, as the deliveries that gave up were: the dead letter keeps the
    // message's attributes, `ce-traceparent` among them.
    await withSpan(
      `record dead letter ${options.subscriber}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'process',
          'messaging.message.id': envelope.message.messageId,
          [attr.subscriber]: options.subscriber,
          ...(record.eventId && { [attr.eventId]: record.eventId }),
          ...(record.orderId && { [attr.orderId]: record.orderId }),
        },
      },
      async (span) => {
        const outcome = await options.ledger.recordDeadLetter(record, options.clock());
        span.setAttribute(attr.outcome, outcome);
        logRecorded(options, record, outcome);
        if (outcome === 'busy') {
          throw new AppError('delivery-in-progress', `event ${record.eventId} is being handled`);
        }
      },
      contextFromAttributes(attributes),
    );
    res.status(204).end();
  };
}

/** One line per dead letter at ERROR, whoever recorded it; one that changed nothing at INFO. */
export function logRecorded(
  { logger }: Pick<DeliveryDeps, 'logger'>,
  record: DeadLetterRecord,
  outcome: RecordOutcome,
): void {
  const fields = {
    subscriber: record.subscriber,
    deadLetterKey: record.key,
    eventId: record.eventId,
    orderId: record.orderId,
    part: record.part,
    reason: record.reason,
  };
  if (outcome === 'recorded') logger.error(deadLetterRecordedMessage, fields);
  else if (outcome === 'busy') logger.info('a dead letter while an attempt runs; later', fields);
  else
    logger.info('a dead letter already recorded, or of a delivery done or replayed since', fields);
}
