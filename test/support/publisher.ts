import { toMessage, type CloudEvent } from '@orderflow/events';
import type { EventPublisher } from '@orderflow/outbox';

export interface Published {
  event: CloudEvent;
  origin: string | undefined;
}

/** An `EventPublisher` that records what it is given, or fails when told to; like the real one, it refuses an invalid event. */
export class RecordingPublisher implements EventPublisher {
  retriableLater = true;
  readonly published: Published[] = [];
  failWith: Error | undefined;

  publish(event: CloudEvent, origin?: string): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    toMessage(event);
    this.published.push({ event, origin });
    return Promise.resolve();
  }
}
