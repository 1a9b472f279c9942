import { createHash } from 'node:crypto';

// The delivery model: which event a subscriber is handling, and how a message is known again.

/** One subscriber's delivery of one event. */
export interface DeliveryKey {
  subscriber: string;
  eventId: string;
}

export interface DeliveryContext extends DeliveryKey {
  orderId: string;
  eventType: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How a refused message is known again when it sits in the dead-letter topic: its event id, or its content. */
export function messageKey(data: string, attributes: Readonly<Record<string, string>>): string {
  return attributes['ce-id'] ?? `sha256-${sha256(data)}`;
}
