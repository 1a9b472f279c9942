import { v1, type PubSub } from '@google-cloud/pubsub';
import type { DeliveryLedger } from '@orderflow/subscriber';
import { rejectionReasonAttribute } from '@orderflow/subscriber/dead-letter-sink';
import { messageKey } from '@orderflow/subscriber/ledger';
import type { SubscriptionPlan } from '@orderflow/topology';

/** A message in a subscriber's dead-letter subscription, as an operator needs to see it. */
export interface DeadLetter {
  subscriber: string;
  messageKey: string;
  eventId: string | undefined;
  orderId: string | undefined;
  type: string | undefined;
  /** Deliveries Pub/Sub attempted before it gave up. */
  attempts: number | undefined;
  deadLetteredAt: string;
  lastError: string | undefined;
}

interface Pulled {
  ackId: string;
  data: string;
  attributes: Record<string, string>;
  letter: DeadLetter;
}

const deadLetterAttribute = new RegExp(
  `^(CloudPubSubDeadLetterSource|${rejectionReasonAttribute}$)`,
);
const batch = 100;
const holdSeconds = 120;
const pullTimeoutMs = 10_000;

/**
 * Reads and replays a subscriber's dead letters. Reading pulls every message and hands it
 * back untouched; replaying publishes it to the subscriber's own replay topic, with the same
 * event id, and only then acknowledges it in the dead-letter subscription.
 */
export class DeadLetters {
  private readonly client: v1.SubscriberClient;

  constructor(
    private readonly pubsub: PubSub,
    private readonly projectId: string,
    private readonly ledger: DeliveryLedger,
  ) {
    this.client = new v1.SubscriberClient({ ...pubsub.options });
  }

  async list(plan: SubscriptionPlan): Promise<DeadLetter[]> {
    const pulled = await this.pullAll(plan);
    await this.release(plan, pulled);
    return pulled.map((p) => p.letter);
  }

  async replay(
    plan: SubscriptionPlan,
    select: (letter: DeadLetter) => boolean,
    options: { dryRun: boolean },
  ): Promise<DeadLetter[]> {
    const pulled = await this.pullAll(plan);
    const chosen = pulled.filter((p) => select(p.letter));
    const others = pulled.filter((p) => !select(p.letter));
    if (options.dryRun) {
      await this.release(plan, pulled);
      return chosen.map((p) => p.letter);
    }
    await this.release(plan, others);
    const replayTopic = this.pubsub.topic(plan.replayTopic);
    for (const message of chosen) {
      const { eventId, orderId, type } = message.letter;
      if (eventId && orderId && type) {
        const delivery = { subscriber: plan.subscriber, eventId, orderId, eventType: type };
        await this.ledger.resetForReplay(delivery, new Date());
      }
      await replayTopic.publishMessage({
        data: Buffer.from(message.data),
        attributes: withoutDeadLetterAttributes(message.attributes),
      });
      await this.client.acknowledge({ subscription: this.path(plan), ackIds: [message.ackId] });
    }
    return chosen.map((p) => p.letter);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private path(plan: SubscriptionPlan) {
    return `projects/${this.projectId}/subscriptions/${plan.deadLetterSubscription}`;
  }

  private async pullAll(plan: SubscriptionPlan): Promise<Pulled[]> {
    const pulled: Pulled[] = [];
    for (;;) {
      // Without returnImmediately a pull on an empty subscription waits for messages to arrive.
      const [response] = await this.client.pull(
        { subscription: this.path(plan), maxMessages: batch, returnImmediately: true },
        { timeout: pullTimeoutMs },
      );
      const received = response.receivedMessages ?? [];
      if (received.length === 0) return pulled;
      const ackIds = received.map((r) => r.ackId ?? '');
      await this.client.modifyAckDeadline({
        subscription: this.path(plan),
        ackIds,
        ackDeadlineSeconds: holdSeconds,
      });
      for (const r of received) pulled.push(await this.describe(plan, r));
    }
  }

  private async describe(plan: SubscriptionPlan, received: v1ReceivedMessage): Promise<Pulled> {
    const message = received.message ?? {};
    const data = Buffer.from(message.data ?? '').toString('utf8');
    const attributes = { ...message.attributes };
    const key = messageKey(data, attributes);
    const attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount;
    return {
      ackId: received.ackId ?? '',
      data,
      attributes,
      letter: {
        subscriber: plan.subscriber,
        messageKey: key,
        eventId: attributes['ce-id'],
        orderId: orderIdOf(data),
        type: attributes['ce-type'],
        attempts: attempts === undefined ? undefined : Number(attempts),
        deadLetteredAt: publishTime(message.publishTime),
        lastError:
          attributes[rejectionReasonAttribute] ??
          (await this.ledger.lastError(plan.subscriber, key)),
      },
    };
  }

  private async release(plan: SubscriptionPlan, pulled: Pulled[]) {
    if (pulled.length === 0) return;
    await this.client.modifyAckDeadline({
      subscription: this.path(plan),
      ackIds: pulled.map((p) => p.ackId),
      ackDeadlineSeconds: 0,
    });
  }
}

interface v1ReceivedMessage {
  ackId?: string | null;
  message?: {
    data?: Uint8Array | string | null;
    attributes?: Record<string, string> | null;
    publishTime?: { seconds?: unknown; nanos?: number | null } | null;
  } | null;
}

function withoutDeadLetterAttributes(attributes: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(attributes).filter(([k]) => !deadLetterAttribute.test(k)),
  );
}

function orderIdOf(data: string): string | undefined {
  try {
    const orderId = (JSON.parse(data) as { orderId?: unknown }).orderId;
    return typeof orderId === 'string' ? orderId : undefined;
  } catch {
    return undefined;
  }
}

function publishTime(
  time: { seconds?: unknown; nanos?: number | null } | null | undefined,
): string {
  const seconds = Number(time?.seconds ?? 0);
  return new Date(seconds * 1000 + Math.floor((time?.nanos ?? 0) / 1e6)).toISOString();
}
