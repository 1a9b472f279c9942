import { expect } from 'chai';
import { analyticsTables } from '@orderflow/analytics';
import { planSubscriptions, type DeliveryPolicy, type Topology } from '@orderflow/topology';
import { pubsubAgentEmail, type Declarations } from './mocks.js';
import { cloudRun, emailOf, plainEnv, pushAccountId, urlOf } from './views.js';

const agent = `serviceAccount:${pubsubAgentEmail}`;

/**
 * Each subscriber of the topology became exactly its route: a live and a replay push
 * subscription to its service, both dead-lettering into its dead-letter topic, whose push
 * subscription reaches the service's dead-letter recorder; and nothing else exists on Pub/Sub
 * but the analytics tables' subscriptions.
 */
export function expectRoutesOf(
  declared: Declarations,
  topology: Topology,
  delivery: DeliveryPolicy,
) {
  const plans = planSubscriptions(topology);
  const analytics = analyticsTables(topology);
  const topic = (name: string) => declared.one('gcp:pubsub/topic:Topic', 'name', name);
  const subscription = (name: string) =>
    declared.one('gcp:pubsub/subscription:Subscription', 'name', name);

  expect(names(declared, 'gcp:pubsub/topic:Topic')).to.deep.equal(
    [
      ...topology.topics.map((t) => t.name),
      ...plans.flatMap((p) => [p.replayTopic, p.deadLetterTopic]),
      ...analytics.map((t) => t.deadLetterTopic),
    ].sort(),
  );
  expect(names(declared, 'gcp:pubsub/subscription:Subscription')).to.deep.equal(
    [
      ...plans.flatMap((p) => [p.subscription, p.replaySubscription, p.deadLetterSubscription]),
      // The analytics tables' BigQuery subscriptions and their dead letters' (the analytics spec).
      ...analytics.flatMap((t) => [t.subscription, t.deadLetterTopic]),
    ].sort(),
  );

  for (const plan of plans) {
    const deadLetterTopic = topic(plan.deadLetterTopic);
    for (const [name, source] of [
      [plan.subscription, plan.topic],
      [plan.replaySubscription, plan.replayTopic],
    ] as const) {
      const push = subscription(name);
      expect(push.inputs.topic, name).to.equal(topic(source).id);
      expect(push.inputs.pushConfig, name).to.deep.equal({
        pushEndpoint: `${urlOf(declared, plan.service)}${plan.pushPath}`,
        oidcToken: {
          serviceAccountEmail: emailOf(declared, pushAccountId),
          audience: plainEnv(declared, plan.service, 'PUSH_AUTH_AUDIENCE'),
        },
      });
      expect(cloudRun(declared, plan.service).inputs.customAudiences, name).to.include(
        push.inputs.pushConfig?.oidcToken?.audience,
      );
      expect(push.inputs.ackDeadlineSeconds, name).to.equal(delivery.ackDeadlineSeconds);
      expect(push.inputs.retryPolicy, name).to.deep.equal({
        minimumBackoff: `${delivery.minBackoffSeconds}s`,
        maximumBackoff: `${delivery.maxBackoffSeconds}s`,
      });
      expect(push.inputs.deadLetterPolicy, name).to.deep.equal({
        deadLetterTopic: deadLetterTopic.id,
        maxDeliveryAttempts: delivery.maxDeliveryAttempts,
      });
      expect(push.inputs.expirationPolicy, name).to.deep.equal({ ttl: '' });
      expect(
        grants(declared, 'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember', name),
        name,
      ).to.deep.include({ role: 'roles/pubsub.subscriber', member: agent });
    }

    const recorder = subscription(plan.deadLetterSubscription);
    expect(recorder.inputs.topic).to.equal(deadLetterTopic.id);
    expect(recorder.inputs.pushConfig?.pushEndpoint).to.equal(
      `${urlOf(declared, plan.service)}${plan.deadLetterPushPath}`,
    );
    expect(recorder.inputs.pushConfig?.oidcToken?.serviceAccountEmail).to.equal(
      emailOf(declared, pushAccountId),
    );
    expect(recorder.inputs.deadLetterPolicy).to.equal(undefined);
    expect(recorder.inputs.expirationPolicy).to.deep.equal({ ttl: '' });
    expect(
      grants(declared, 'gcp:pubsub/topicIAMMember:TopicIAMMember', plan.deadLetterTopic),
    ).to.deep.include({ role: 'roles/pubsub.publisher', member: agent });
  }
}

function names(
  declared: Declarations,
  type: 'gcp:pubsub/topic:Topic' | 'gcp:pubsub/subscription:Subscription',
) {
  return declared
    .ofType(type)
    .map((r) => r.inputs.name)
    .sort();
}

/** Role and member of every grant on the topic or subscription with that name. */
export function grants(
  declared: Declarations,
  type:
    | 'gcp:pubsub/topicIAMMember:TopicIAMMember'
    | 'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember',
  name: string,
) {
  return declared
    .ofType(type)
    .filter((g) => ('topic' in g.inputs ? g.inputs.topic : g.inputs.subscription) === name)
    .map((g) => ({ role: g.inputs.role, member: g.inputs.member }));
}
