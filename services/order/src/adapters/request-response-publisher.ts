import { randomUUID } from 'node:crypto';
import { toMessage, type CloudEvent, type EventMessage } from '@orderflow/events';
import { traceparentOf } from '@orderflow/platform';
import type { SubscriptionPlan } from '@orderflow/topology';
import type { EventPublisher } from '@orderflow/outbox';

/** One subscriber as request-response delivery calls it: the push endpoint Pub/Sub would call. */
export interface SubscriberEndpoint {
  name: string;
  url: string;
  /** `projects/{project}/subscriptions/{name}`, as the push envelope names it. */
  subscription: string;
}

export interface RequestResponseOptions {
  /** One call after another, or all at once. */
  mode: 'sequential' | 'parallel';
  subscribers: readonly SubscriberEndpoint[];
  /** Bounds the whole publish: every call, in either mode. */
  timeoutMs: number;
}

export class SubscriberCallError extends Error {
  override readonly name = 'SubscriberCallError';
}

/**
 * The design event-driven delivery replaces, kept for the benchmark and never deployed: after the
 * commit, the request POSTs the push envelope Pub/Sub would send to every subscriber's endpoint
 * and succeeds only once all of them answered 2xx. A failure is final: nothing delivers it later.
 */
export class RequestResponsePublisher implements EventPublisher {
  readonly retriableLater = false;

  constructor(private readonly options: RequestResponseOptions) {}

  async publish(event: CloudEvent, origin?: string): Promise<void> {
    const message = toMessage(event, origin ?? traceparentOf());
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const call = (subscriber: SubscriberEndpoint) =>
      deliver(subscriber, envelope(message, subscriber), signal);
    if (this.options.mode === 'sequential') {
      for (const subscriber of this.options.subscribers) await call(subscriber);
      return;
    }
    // Every call settles before the request answers: none is left running behind it.
    const failures = (await Promise.allSettled(this.options.subscribers.map(call))).flatMap(
      (outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []),
    );
    if (failures.length) throw new SubscriberCallError(failures.map((f) => f.message).join('; '));
  }
}

/** The endpoints of `plans`, each at the URL `urls` gives its subscriber; every one must have one. */
export function subscriberEndpoints(
  plans: readonly SubscriptionPlan[],
  projectId: string,
  urls: Readonly<Record<string, string>>,
): SubscriberEndpoint[] {
  return plans.map((plan) => {
    const url = urls[plan.subscriber];
    if (!url) throw new Error(`no URL for subscriber ${plan.subscriber}`);
    return {
      name: plan.subscriber,
      url,
      subscription: `projects/${projectId}/subscriptions/${plan.subscription}`,
    };
  });
}

function envelope(message: EventMessage, subscriber: SubscriberEndpoint) {
  return {
    message: {
      data: Buffer.from(message.data).toString('base64'),
      attributes: message.attributes,
      messageId: randomUUID(),
      publishTime: new Date().toISOString(),
    },
    subscription: subscriber.subscription,
  };
}

async function deliver(subscriber: SubscriberEndpoint, body: object, signal: AbortSignal) {
  const response = await fetch(subscriber.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  }).catch((error: unknown) => {
    throw new SubscriberCallError(`${subscriber.name} did not answer: ${String(error)}`);
  });
  // Read to the end, so the connection goes back to the pool.
  const text = await response.text();
  if (!response.ok) {
    throw new SubscriberCallError(
      `${subscriber.name} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  }
}
