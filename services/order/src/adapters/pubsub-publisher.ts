import type { PubSub, Topic } from '@google-cloud/pubsub';
import { toMessage, type CloudEvent } from '@orderflow/events';
import type { Topology } from '@orderflow/topology';
import type { EventPublisher } from '../ports.js';

export interface PubSubPublisherOptions {
  /**
   * Bounds how long a publish may hold the request. The client library otherwise retries
   * for up to a minute; the outbox relay publishes whatever did not make it.
   */
  timeoutMs: number;
}

export class PubSubPublisher implements EventPublisher {
  readonly retriableLater = true;
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: Topology,
    private readonly options: PubSubPublisherOptions,
  ) {}

  async publish(event: CloudEvent, traceparent?: string): Promise<void> {
    const { data, attributes } = toMessage(event, traceparent);
    const publishing = this.topicFor(event.type).publishMessage({
      data: Buffer.from(data),
      attributes,
    });
    await withTimeout(publishing, this.options.timeoutMs, `publish ${event.id}`);
  }

  private topicFor(eventType: string): Topic {
    const name = this.topology.topics.find((t) => t.eventType === eventType)?.name;
    if (!name) throw new Error(`no topic carries ${eventType}`);
    let topic = this.topics.get(name);
    if (!topic) {
      // The client's default batching holds a message up to 10 ms: send each one at once.
      topic = this.pubsub.topic(name, {
        batching: { maxMessages: 1, maxMilliseconds: 0 },
        gaxOpts: { timeout: this.options.timeoutMs },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
