import { toMessage, type CloudEvent } from '@orderflow/events';
import type { SubscriptionPlan } from '@orderflow/topology';
import { productionAuth, testConfig } from '../fixture.js';

/**
 * Delivers an event to a subscriber exactly as a Pub/Sub push subscription would: through the
 * front-end stand-in, which adds the push identity's token and `deliveryAttempt`.
 */
export async function push(
  plan: SubscriptionPlan,
  event: CloudEvent,
  messageId: string,
): Promise<number> {
  const { data, attributes } = toMessage(event);
  const envelope = {
    message: {
      data: Buffer.from(data).toString('base64'),
      attributes,
      messageId,
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/${testConfig.GOOGLE_CLOUD_PROJECT}/subscriptions/${plan.subscription}`,
  };
  const response = await fetch(
    `${productionAuth().frontEnd.pushEndpoint(plan.service)}${plan.pushPath}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
    },
  );
  await response.body?.cancel();
  return response.status;
}
