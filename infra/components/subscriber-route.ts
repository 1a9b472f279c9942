import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { DeliveryPolicy, SubscriptionPlan } from '@orderflow/topology';

export interface Endpoint {
  url: pulumi.Input<string>;
  audience: string;
}

/** The Pub/Sub names of one route: what the `dlq` commands and the alerts refer to. */
export type RouteNames = Omit<
  SubscriptionPlan,
  'subscriber' | 'service' | 'pushPath' | 'deadLetterPushPath'
>;

export interface SubscriberRouteArgs {
  plan: SubscriptionPlan;
  /** The topic the subscriber listens to, as `projects/…/topics/…`. */
  topic: pulumi.Input<string>;
  endpoint: Endpoint;
  delivery: DeliveryPolicy;
  pushIdentity: pulumi.Input<string>;
  /** The subscriber service's own identity, as an IAM member. */
  subscriberIdentity: pulumi.Input<string>;
  /** `serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com` */
  pubsubAgent: pulumi.Input<string>;
  operators: readonly string[];
}

export const week = 7 * 24 * 3600;
/** The most Pub/Sub keeps: operators have a month to look at a dead letter. */
export const month = 31 * 24 * 3600;

/**
 * Everything one subscriber gets from its topology entry: the live push subscription,
 * a replay topic with its own push subscription to the same route, and the dead-letter
 * topic both feed, whose push subscription brings each dead letter to the subscriber's
 * recorder (which writes the record the `dlq` commands read).
 */
export class SubscriberRoute extends pulumi.ComponentResource {
  readonly names: pulumi.Output<RouteNames>;

  constructor(name: string, args: SubscriberRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:SubscriberRoute', name, {}, opts);
    const { plan, delivery } = args;
    const parent = { parent: this };

    const deadLetterTopic = new gcp.pubsub.Topic(
      `${name}-dead-letter-topic`,
      { name: plan.deadLetterTopic },
      parent,
    );
    // Without it the subscription cannot forward anything and dead-lettering silently stops.
    new gcp.pubsub.TopicIAMMember(
      `${name}-dead-letter-publisher`,
      { topic: deadLetterTopic.name, role: 'roles/pubsub.publisher', member: args.pubsubAgent },
      parent,
    );

    // The subscriber moves a message that can never succeed (not a valid event) here itself.
    new gcp.pubsub.TopicIAMMember(
      `${name}-dead-letter-subscriber-publisher`,
      {
        topic: deadLetterTopic.name,
        role: 'roles/pubsub.publisher',
        member: args.subscriberIdentity,
      },
      parent,
    );

    const pushConfig = (path: string) => ({
      pushEndpoint: pulumi.interpolate`${args.endpoint.url}${path}`,
      oidcToken: { serviceAccountEmail: args.pushIdentity, audience: args.endpoint.audience },
    });
    const retryPolicy = {
      minimumBackoff: `${delivery.minBackoffSeconds}s`,
      maximumBackoff: `${delivery.maxBackoffSeconds}s`,
    };
    // No dead-letter policy of its own: a dead letter the recorder cannot take yet stays here,
    // pushed again with backoff, for as long as Pub/Sub keeps a message.
    const deadLetterSubscription = new gcp.pubsub.Subscription(
      `${name}-dead-letter`,
      {
        name: plan.deadLetterSubscription,
        topic: deadLetterTopic.id,
        ackDeadlineSeconds: delivery.ackDeadlineSeconds,
        messageRetentionDuration: `${month}s`,
        expirationPolicy: { ttl: '' },
        pushConfig: pushConfig(plan.deadLetterPushPath),
        retryPolicy,
      },
      parent,
    );

    const push = (suffix: string, subscription: string, topic: pulumi.Input<string>) => {
      const created = new gcp.pubsub.Subscription(
        `${name}-${suffix}`,
        {
          name: subscription,
          topic,
          ackDeadlineSeconds: delivery.ackDeadlineSeconds,
          messageRetentionDuration: `${week}s`,
          expirationPolicy: { ttl: '' },
          pushConfig: pushConfig(plan.pushPath),
          retryPolicy,
          deadLetterPolicy: {
            deadLetterTopic: deadLetterTopic.id,
            maxDeliveryAttempts: delivery.maxDeliveryAttempts,
          },
        },
        parent,
      );
      // Pub/Sub acknowledges a dead-lettered message on the source subscription as its agent.
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-${suffix}-subscriber`,
        { subscription: created.name, role: 'roles/pubsub.subscriber', member: args.pubsubAgent },
        parent,
      );
      return created;
    };

    const live = push('live', plan.subscription, args.topic);
    const replayTopic = new gcp.pubsub.Topic(
      `${name}-replay-topic`,
      { name: plan.replayTopic },
      parent,
    );
    const replay = push('replay', plan.replaySubscription, replayTopic.id);

    // Named by member, so removing one operator leaves the others' grants alone.
    for (const member of args.operators) {
      new gcp.pubsub.TopicIAMMember(
        `${name}-replay-publisher-${member}`,
        { topic: replayTopic.name, role: 'roles/pubsub.publisher', member },
        parent,
      );
    }

    this.names = pulumi.output({
      topic: plan.topic,
      subscription: live.name,
      replayTopic: replayTopic.name,
      replaySubscription: replay.name,
      deadLetterTopic: deadLetterTopic.name,
      deadLetterSubscription: deadLetterSubscription.name,
    });
    this.registerOutputs({ names: this.names });
  }
}
