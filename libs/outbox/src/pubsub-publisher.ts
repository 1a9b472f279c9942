import type { PubSub, Topic } from '@google-cloud/pubsub';
import { SpanKind } from '@opentelemetry/api';
import { toMessage, type CloudEvent } from '@orderflow/events';
import { attr, spanContextOf, traceparentOf, withSpan } from '@orderflow/platform';
import type { Topology } from '@orderflow/topology';
import type { EventPublisher } from './ports.js';

export interface PubSubPublisherOptions {
  /**
   * Bounds how long a publish may hold its caller. The client library otherwise retries
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

  /**
   * A producer span of its own carries the trace into the message (`ce-traceparent`), rather
   * than the Pub/Sub client's OpenTelemetry support: the client starts every batch's send span
   * in a trace of its own, and a push subscription has no client on the receiving side to
   * continue its `googclient_traceparent`.
   */
  async publish(event: CloudEvent, origin?: string): Promise<void> {
    const name = this.topicName(event.type);
    const link = origin && spanContextOf(origin);
    await withSpan(
      `send ${name}`,
      {
        kind: SpanKind.PRODUCER,
        links: link ? [{ context: link }] : [],
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'send',
          'messaging.destination.name': name,
          [attr.eventId]: event.id,
          [attr.orderId]: event.data.orderId,
        },
      },
      async () => {
        const { data, attributes } = toMessage(event, origin ?? traceparentOf());
        const publishing = this.topic(name).publishMessage({ data: Buffer.from(data), attributes });
        await withTimeout(publishing, this.options.timeoutMs, `publish ${event.id}`);
      },
    );
  }

  private topicName(eventType: string): string {
    const name = this.topology.topics.find((t) => t.eventType === eventType)?.name;
    if (!name) throw new Error(`no topic carries ${eventType}`);
    return name;
  }

  private topic(name: string): Topic {
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

/** A publish that took longer than its bound: Pub/Sub slow or unreachable. */
export class PublishTimedOut extends Error {
  override readonly name = 'PublishTimedOut';
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new PublishTimedOut(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
