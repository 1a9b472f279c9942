import * as z from 'zod';
import {
  customerSegmentChangedType,
  customerSegmentChangedV1Schema,
  type CustomerSegmentChangedV1,
} from './customer-segment-changed.js';
import {
  orderCancelledType,
  orderCancelledV1Schema,
  orderPartAcceptedType,
  orderPartAcceptedV1Schema,
  orderPartRejectedType,
  orderPartRejectedV1Schema,
  orderPartShippedType,
  orderPartShippedV1Schema,
  type OrderCancelledV1,
  type OrderPartAcceptedV1,
  type OrderPartRejectedV1,
  type OrderPartShippedV1,
} from './order-lifecycle.js';
import { orderPlacedType, orderPlacedV1Schema, type OrderPlacedV1 } from './order-placed.js';

/**
 * The schemas of every event the system publishes, by CloudEvents type.
 * A publisher validates against it before sending and every consumer after receiving.
 */
export const eventSchemas = {
  [orderPlacedType]: orderPlacedV1Schema,
  [orderCancelledType]: orderCancelledV1Schema,
  [orderPartAcceptedType]: orderPartAcceptedV1Schema,
  [orderPartShippedType]: orderPartShippedV1Schema,
  [orderPartRejectedType]: orderPartRejectedV1Schema,
  [customerSegmentChangedType]: customerSegmentChangedV1Schema,
} as const;

export type EventType = keyof typeof eventSchemas;
export interface EventDataByType {
  [orderPlacedType]: OrderPlacedV1;
  [orderCancelledType]: OrderCancelledV1;
  [orderPartAcceptedType]: OrderPartAcceptedV1;
  [orderPartShippedType]: OrderPartShippedV1;
  [orderPartRejectedType]: OrderPartRejectedV1;
  [customerSegmentChangedType]: CustomerSegmentChangedV1;
}

/**
 * A CloudEvent (spec 1.0); `id` is the idempotency key of every consumer. Without a type
 * argument it is the union of every type, so that `event.type` narrows `event.data`.
 */
export type CloudEvent<T extends EventType = EventType> = {
  [K in T]: {
    id: string;
    type: K;
    source: string;
    subject: string;
    time: string;
    data: EventDataByType[K];
  };
}[T];

/** A Pub/Sub message in the CloudEvents Pub/Sub protocol binding, binary content mode. */
export interface EventMessage {
  data: string;
  attributes: Record<string, string>;
}

export function toMessage(event: CloudEvent, traceparent?: string): EventMessage {
  const data = eventSchemas[event.type].parse(event.data);
  return {
    data: JSON.stringify(data),
    attributes: {
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': event.type,
      'ce-source': event.source,
      'ce-subject': event.subject,
      'ce-time': event.time,
      'content-type': 'application/json',
      ...(traceparent ? { 'ce-traceparent': traceparent } : {}),
    },
  };
}

const attributesSchema = z.object({
  'ce-specversion': z.literal('1.0'),
  'ce-id': z.string().min(1),
  'ce-type': z.string().min(1),
  'ce-source': z.string().min(1),
  'ce-subject': z.string().min(1),
  'ce-time': z.iso.datetime({ offset: true }),
});

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export function fromMessage(message: EventMessage): CloudEvent {
  const attributes = attributesSchema.safeParse(message.attributes);
  if (!attributes.success) {
    throw new InvalidEventError(`not a CloudEvent: ${z.prettifyError(attributes.error)}`);
  }
  const type = attributes.data['ce-type'];
  if (!isEventType(type)) throw new InvalidEventError(`unknown event type ${type}`);
  const data = eventSchemas[type].safeParse(parseJson(message.data));
  if (!data.success) {
    throw new InvalidEventError(`invalid ${type} data: ${z.prettifyError(data.error)}`);
  }
  // The data was parsed by the schema of `type`: the pair is one member of the union.
  return {
    id: attributes.data['ce-id'],
    type,
    source: attributes.data['ce-source'],
    subject: attributes.data['ce-subject'],
    time: attributes.data['ce-time'],
    data: data.data,
  } as CloudEvent;
}

function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidEventError('event data is not JSON');
  }
}
