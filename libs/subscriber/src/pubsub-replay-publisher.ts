import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { EventMessage } from '@orderflow/events';
import { findSubscription, type Topology } from '@orderflow/topology';
import type { ReplayPublisher } from './reconciler.js';

/** Publishes to the replay topic the topology gives the subscriber. */
export class PubSubReplayPublisher implements ReplayPublisher {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: Topology,
  ) {}

  async publish(subscriber: string, message: EventMessage): Promise<void> {
    await this.topicOf(subscriber).publishMessage({
      data: Buffer.from(message.data),
      attributes: message.attributes,
    });
  }

  private topicOf(subscriber: string): Topic {
    let topic = this.topics.get(subscriber);
    if (!topic) {
      const plan = findSubscription(this.topology, subscriber);
      if (!plan) throw new Error(`${subscriber} is not a subscriber in the topology`);
      topic = this.pubsub.topic(plan.replayTopic);
      this.topics.set(subscriber, topic);
    }
    return topic;
  }
}
