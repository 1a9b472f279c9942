import type { PubSub, Topic } from '@google-cloud/pubsub';

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
  send(message: PoisonMessage, reason: string): Promise<void>;
}

export class PubSubDeadLetterSink implements DeadLetterSink {
  private readonly topic: Topic;

  constructor(pubsub: PubSub, topicName: string) {
    this.topic = pubsub.topic(topicName, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
  }

  async send(message: PoisonMessage, reason: string): Promise<void> {
    await this.topic.publishMessage({
      data: Buffer.from(message.data),
      attributes: { ...message.attributes, [rejectionReasonAttribute]: reason },
    });
  }
}

export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly sent: (PoisonMessage & { reason: string })[] = [];

  send(message: PoisonMessage, reason: string): Promise<void> {
    this.sent.push({ ...message, reason });
    return Promise.resolve();
  }
}
