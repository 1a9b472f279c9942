import { expect } from 'chai';
import { toMessage, type CloudEvent } from '@orderflow/events';
import { planSubscriptions, topology } from '@orderflow/topology';
import type { CapturedMail } from '@orderflow/tools/local/mail-capture';
import type { ReceivedWebhook } from '@orderflow/tools/local/webhook-sink';
import { localSystem, testConfig } from './fixture.js';
import { call, getJson, placeOrder, stockOf } from './support/api.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';
import { eventually } from './support/eventually.js';

async function eventOf(orderId: string): Promise<CloudEvent> {
  const outbox = await firestore()
    .collection('outbox')
    .where('event.data.orderId', '==', orderId)
    .get();
  return (outbox.docs[0]!.data() as { event: CloudEvent }).event;
}

async function effectsOf(orderId: string, customer: { id: string; email: string }) {
  const { messages } = await getJson<{ messages: CapturedMail[] }>(
    `${localSystem().urls.mail}/messages?to=${customer.email}`,
  );
  const { webhooks } = await getJson<{ webhooks: ReceivedWebhook[] }>(
    `${localSystem().urls.webhooks}/webhooks`,
  );
  const segment = await firestore().collection('customerSegments').doc(customer.id).get();
  return {
    mails: messages.length,
    webhooks: webhooks.filter(
      (w) => (w.payload as { data: { orderId: string } }).data.orderId === orderId,
    ).length,
    segment: segment.data(),
  };
}

async function fulfilled(orderId: string, token: string) {
  await eventually(async () => {
    const { body } = await call('GET', `/orders/${orderId}`, { token });
    const states = Object.values(body.fulfilment as Record<string, { state: string }>);
    expect(states.every((s) => s.state === 'done')).to.equal(true);
  });
}

describe('the order flow keeps its guarantees', () => {
  it('a redelivered message changes nothing', async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 700 }] });
    const customer = await aCustomer();
    const placed = await placeOrder(customer.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);
    const orderId = placed.body.id as string;
    await fulfilled(orderId, customer.token);
    const before = await effectsOf(orderId, customer);
    expect(before).to.deep.include({ mails: 1, webhooks: 1 });

    const { data, attributes } = toMessage(await eventOf(orderId));
    for (const plan of planSubscriptions(topology)) {
      const envelope = {
        message: {
          data: Buffer.from(data).toString('base64'),
          attributes,
          messageId: `redelivery-${plan.subscriber}`,
          publishTime: new Date().toISOString(),
        },
        subscription: `projects/${testConfig.GOOGLE_CLOUD_PROJECT}/subscriptions/${plan.subscription}`,
      };
      const response = await fetch(`${localSystem().urls.services[plan.service]}${plan.pushPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
      });
      expect(response.status, plan.subscriber).to.equal(204);
    }

    expect(await effectsOf(orderId, customer)).to.deep.equal(before);
  });

  it('concurrent buyers cannot oversell', async () => {
    const stock = 10;
    const buyers = 50;
    const catalog = await aCatalog({ products: [{ stock }] });
    const productId = catalog.products[0]!.id;
    const customers = await Promise.all(Array.from({ length: buyers }, () => aCustomer()));

    const responses = await Promise.all(
      customers.map((c) => placeOrder(c.token, [{ productId, quantity: 1 }])),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(stock);
    expect(statuses.filter((s) => s === 409)).to.have.length(buyers - stock);
    expect(await stockOf(productId)).to.equal(0);
    const orders = await firestore().collection('orders').where('lines', '!=', null).get();
    const sold = orders.docs.filter((d) =>
      (d.data() as { lines: { productId: string }[] }).lines.some((l) => l.productId === productId),
    );
    expect(sold).to.have.length(stock);
  });

  it('the same Idempotency-Key places the order once', async () => {
    const catalog = await aCatalog({ products: [{ stock: 5 }] });
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();
    const headers = { 'idempotency-key': `key-${customer.id}` };

    const first = await placeOrder(customer.token, [{ productId, quantity: 2 }], headers);
    const again = await placeOrder(customer.token, [{ productId, quantity: 2 }], headers);
    const other = await placeOrder(customer.token, [{ productId, quantity: 1 }], headers);

    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(other.status).to.equal(422);
    expect(await stockOf(productId)).to.equal(3);
  });

  it("a customer cannot read another customer's order", async () => {
    const catalog = await aCatalog({ products: [{}] });
    const [owner, stranger] = [await aCustomer(), await aCustomer()];
    const placed = await placeOrder(owner.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);

    const mine = await call('GET', `/orders/${placed.body.id as string}`, { token: owner.token });
    const theirs = await call('GET', `/orders/${placed.body.id as string}`, {
      token: stranger.token,
    });

    expect(mine.status).to.equal(200);
    expect(theirs.status).to.equal(404);
  });
});
