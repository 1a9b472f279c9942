import type { PubSub, Topic } from '@google-cloud/pubsub';
import { findSubscription, type Topology } from '@orderflow/topology';

export interface PoisonMessage {
  data: string;
  attributes: Readonly<Record<string, string>>;
}

/** The attribute that tells an operator why a subscriber moved a message to its dead-letter topic. */
export const rejectionReasonAttribute = 'orderflow-rejection-reason';

/**
 * Where a subscriber puts a message that can never succeed (not a valid event):
 * straight into its dead-letter topic, instead of failing it until Pub/Sub gives up,
 * which would slow every delivery on the subscription meanwhile.
 */
export interface DeadLetterSink {
  send(subscriber: string, message: PoisonMessage, reason: string): Promise<void>;
}

/** Sends to the dead-letter topic the topology gives the subscriber. */
export class PubSubDeadLetterSink implements DeadLetterSink {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: Topology,
  ) {}

  async send(subscriber: string, message: PoisonMessage, reason: string): Promise<void> {
    await this.topicOf(subscriber).publishMessage({
      data: Buffer.from(message.data),
      attributes: { ...message.attributes, [rejectionReasonAttribute]: reason },
    });
  }

  private topicOf(subscriber: string): Topic {
    let topic = this.topics.get(subscriber);
    if (!topic) {
      const plan = findSubscription(this.topology, subscriber);
      if (!plan) throw new Error(`${subscriber} is not a subscriber in the topology`);
      topic = this.pubsub.topic(plan.deadLetterTopic, {
        batching: { maxMessages: 1, maxMilliseconds: 0 },
      });
      this.topics.set(subscriber, topic);
    }
    return topic;
  }
}

export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly sent: (PoisonMessage & { subscriber: string; reason: string })[] = [];

  send(subscriber: string, message: PoisonMessage, reason: string): Promise<void> {
    this.sent.push({ ...message, subscriber, reason });
    return Promise.resolve();
  }
}
