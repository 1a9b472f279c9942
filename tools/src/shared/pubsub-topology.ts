import type { PubSub } from '@google-cloud/pubsub';
import { analyticsTables } from '@orderflow/analytics';
import {
  planSubscriptions,
  type DeliveryPolicy,
  type ServiceName,
  type Topology,
} from '@orderflow/topology';

const alreadyExists = 6;

async function ignoringExisting(create: Promise<unknown>): Promise<void> {
  await create.catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== alreadyExists) throw error;
  });
}

/**
 * Creates on the emulator what the Pulumi program creates in a project: the topics, and for
 * each subscriber a push subscription, a replay topic with its own push subscription, and a
 * dead-letter topic whose push subscription brings each dead letter to the subscriber's recorder.
 * The analytics tables' BigQuery subscriptions, which the emulator does not have, become pull
 * subscriptions of the same names that the local system writes to its database.
 */
export async function createTopology(
  pubsub: PubSub,
  projectId: string,
  topology: Topology,
  delivery: DeliveryPolicy,
  serviceUrl: (service: ServiceName) => string,
): Promise<void> {
  const plans = planSubscriptions(topology);
  const analytics = analyticsTables(topology);
  const topics = [
    ...topology.topics.map((t) => t.name),
    ...plans.flatMap((p) => [p.replayTopic, p.deadLetterTopic]),
    ...analytics.map((t) => t.deadLetterTopic),
  ];
  await Promise.all(topics.map((name) => ignoringExisting(pubsub.createTopic(name))));

  await Promise.all(
    plans.flatMap((plan) => {
      const retryPolicy = {
        minimumBackoff: { seconds: delivery.minBackoffSeconds },
        maximumBackoff: { seconds: delivery.maxBackoffSeconds },
      };
      const push = {
        pushConfig: { pushEndpoint: `${serviceUrl(plan.service)}${plan.pushPath}` },
        ackDeadlineSeconds: delivery.ackDeadlineSeconds,
        retryPolicy,
        deadLetterPolicy: {
          deadLetterTopic: `projects/${projectId}/topics/${plan.deadLetterTopic}`,
          maxDeliveryAttempts: delivery.maxDeliveryAttempts,
        },
      };
      return [
        ignoringExisting(pubsub.topic(plan.topic).createSubscription(plan.subscription, push)),
        ignoringExisting(
          pubsub.topic(plan.replayTopic).createSubscription(plan.replaySubscription, push),
        ),
        ignoringExisting(
          pubsub.topic(plan.deadLetterTopic).createSubscription(plan.deadLetterSubscription, {
            pushConfig: {
              pushEndpoint: `${serviceUrl(plan.service)}${plan.deadLetterPushPath}`,
            },
            ackDeadlineSeconds: delivery.ackDeadlineSeconds,
            retryPolicy,
          }),
        ),
      ];
    }),
  );
  await Promise.all(
    analytics.flatMap((table) => [
      ignoringExisting(
        pubsub.topic(table.topic).createSubscription(table.subscription, {
          ackDeadlineSeconds: delivery.ackDeadlineSeconds,
          retryPolicy: {
            minimumBackoff: { seconds: delivery.minBackoffSeconds },
            maximumBackoff: { seconds: delivery.maxBackoffSeconds },
          },
          deadLetterPolicy: {
            deadLetterTopic: `projects/${projectId}/topics/${table.deadLetterTopic}`,
            maxDeliveryAttempts: delivery.maxDeliveryAttempts,
          },
        }),
      ),
      ignoringExisting(
        pubsub.topic(table.deadLetterTopic).createSubscription(table.deadLetterTopic, {
          ackDeadlineSeconds: delivery.ackDeadlineSeconds,
        }),
      ),
    ]),
  );
}
