import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { planSubscriptions, type DeliveryPolicy, type Topology } from '@orderflow/topology';
import { SubscriberRoute, type Endpoint, type RouteNames } from './subscriber-route.js';

export interface EventTopologyArgs {
  topology: Topology;
  delivery: DeliveryPolicy;
  /** IAM member of each service's runtime identity: a topic's publisher may publish to it. */
  members: Readonly<Record<string, pulumi.Input<string>>>;
  /** Where each subscribing service is reached. */
  endpoints: Readonly<Record<string, Endpoint>>;
  /** The identity Pub/Sub pushes as. */
  pushIdentity: gcp.serviceaccount.Account;
  operators: readonly string[];
}

/** The Pub/Sub side of the topology: topics, who publishes, and one route per subscriber. */
export class EventTopology extends pulumi.ComponentResource {
  readonly topics: pulumi.Output<string[]>;
  /** Each topic's id (`projects/…/topics/…`), by name: for subscriptions declared elsewhere. */
  readonly topicIds: Record<string, pulumi.Output<string>>;
  readonly routes: pulumi.Output<Record<string, RouteNames>>;
  /** The Pub/Sub service agent, as an IAM member. */
  readonly pubsubAgent: pulumi.Output<string>;

  constructor(name: string, args: EventTopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:EventTopology', name, {}, opts);
    const parent = { parent: this };
    const pubsubAgent = new gcp.projects.ServiceIdentity(
      `${name}-pubsub-agent`,
      { service: 'pubsub.googleapis.com' },
      parent,
    );
    // Pub/Sub mints the push OIDC tokens as the push identity.
    new gcp.serviceaccount.IAMMember(
      `${name}-pubsub-agent-token-creator`,
      {
        serviceAccountId: args.pushIdentity.name,
        role: 'roles/iam.serviceAccountTokenCreator',
        member: pubsubAgent.member,
      },
      parent,
    );

    const topics = Object.fromEntries(
      args.topology.topics.map((spec) => {
        const topic = new gcp.pubsub.Topic(`${name}-${spec.name}`, { name: spec.name }, parent);
        new gcp.pubsub.TopicIAMMember(
          `${name}-${spec.name}-publisher`,
          {
            topic: topic.name,
            role: 'roles/pubsub.publisher',
            member: need(args.members, spec.publisher, `${spec.name} is published by`),
          },
          parent,
        );
        return [spec.name, topic] as const;
      }),
    );

    const routes = planSubscriptions(args.topology).map((plan) => {
      const topic = need(topics, plan.topic, `${plan.subscriber} subscribes to`);
      const route = new SubscriberRoute(
        `${name}-${plan.subscriber}`,
        {
          plan,
          topic: topic.id,
          endpoint: need(args.endpoints, plan.service, `${plan.subscriber} runs on`),
          delivery: args.delivery,
          pushIdentity: args.pushIdentity.email,
          subscriberIdentity: need(args.members, plan.service, `${plan.subscriber} runs as`),
          pubsubAgent: pubsubAgent.member,
          operators: args.operators,
        },
        parent,
      );
      return [plan.subscriber, route.names] as const;
    });

    this.topics = pulumi.all(Object.values(topics).map((t) => t.name));
    this.topicIds = Object.fromEntries(Object.entries(topics).map(([n, t]) => [n, t.id]));
    this.pubsubAgent = pubsubAgent.member;
    this.routes = pulumi.all(Object.fromEntries(routes));
    this.registerOutputs({ topics: this.topics, routes: this.routes });
  }
}

/** What the topology names must exist: a topic subscribed to, a deployed service. */
function need<T>(values: Readonly<Record<string, T>>, key: string, context: string): T {
  const value = values[key];
  if (value === undefined) throw new Error(`${context} ${key}, which does not exist`);
  return value;
}
