import type { Timestamp } from '@google-cloud/firestore';
import { expect } from 'chai';
import { fulfilmentCollection, type CloudEvent } from '@orderflow/events';
import type { CustomerFulfilment } from '@orderflow/order/domain/fulfilment';
import type { CapturedMail } from '@orderflow/tools/local/mail-capture';
import type { ReceivedWebhook, WebhookAttempt } from '@orderflow/tools/local/webhook-sink';
import { localSystem } from '../fixture.js';
import { call, getJson } from './api.js';
import { firestore } from './clients.js';
import { eventually } from './eventually.js';

/** What the system did, read where a customer, a seller or an analyst would see it. */

export const mailsTo = async (address: string) =>
  (await getJson<{ messages: CapturedMail[] }>(`${localSystem().urls.mail}/messages?to=${address}`))
    .messages;

const orderIdOf = (w: { payload: unknown }) =>
  (w.payload as { data: { orderId: string } }).data.orderId;

export const webhooksOf = async (orderId: string) =>
  (
    await getJson<{ webhooks: ReceivedWebhook[] }>(`${localSystem().urls.webhooks}/webhooks`)
  ).webhooks.filter((w) => orderIdOf(w) === orderId);

export const webhookAttempts = async (webhookId: string) =>
  (
    await getJson<{ attempts: WebhookAttempt[] }>(`${localSystem().urls.webhooks}/attempts`)
  ).attempts.filter((a) => a.webhookId === webhookId);

export async function sellerEndpoint(
  sellerId: string,
  behaviour: { status?: number; delayMs?: number },
) {
  const response = await fetch(`${localSystem().urls.webhooks}/behaviour`, {
    method: 'PUT',
    body: JSON.stringify({ sellerId, ...behaviour }),
  });
  expect(response.status).to.equal(200);
}

export const segmentOf = async (customerId: string) =>
  (await firestore().collection('customerSegments').doc(customerId).get()).data();

/** The event the order service wrote to its outbox for this order. */
export async function eventOf(orderId: string) {
  const outbox = await firestore()
    .collection('outbox')
    .where('event.data.orderId', '==', orderId)
    .get();
  expect(outbox.docs).to.have.length(1);
  return outbox.docs[0]!.data() as {
    event: CloudEvent;
    createdAt: Timestamp;
    publishedAt: unknown;
    relayFailures?: number;
  };
}

export async function fulfilmentOf(orderId: string, token: string) {
  const { body } = await call('GET', `/orders/${orderId}`, { token });
  return body.fulfilment as Record<string, CustomerFulfilment>;
}

/** Waits until every subscriber's record of the order is in the expected state. */
export async function untilFulfilment(
  orderId: string,
  token: string,
  expected: Record<string, CustomerFulfilment['state']>,
  timeoutMs = 20_000,
) {
  return eventually(
    async () => {
      const fulfilment = await fulfilmentOf(orderId, token);
      const states = Object.fromEntries(Object.entries(fulfilment).map(([k, v]) => [k, v.state]));
      expect(states).to.deep.equal(expected);
      return fulfilment;
    },
    { timeoutMs },
  );
}

export const allDone = { notification: 'done', seller: 'done', segmentation: 'done' } as const;

/**
 * Waits until every subscriber is done with each of the orders, read from their records in
 * Firestore (one read of them all a round, not a request per order).
 */
export async function untilAllDone(orderIds: readonly string[], timeoutMs = 60_000) {
  let pending = orderIds.flatMap((id) =>
    Object.keys(allDone).map((subscriber) =>
      firestore().collection(fulfilmentCollection(id)).doc(subscriber),
    ),
  );
  await eventually(
    async () => {
      if (pending.length === 0) return;
      const records = await firestore().getAll(...pending);
      pending = pending.filter((_, i) => records[i]?.get('state') !== 'done');
      expect(pending.map((ref) => ref.path)).to.deep.equal([]);
    },
    { timeoutMs, intervalMs: 500 },
  );
}
