import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { fulfilmentCollection, orderPlacedType, type CloudEvent } from '@orderflow/events';
import { planSubscriptions, topology } from '@orderflow/topology';
import type { DeadLetter } from '@orderflow/tools/shared/dead-letters';
import { localSystem } from './fixture.js';
import { placeOrder } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, aCustomer, firestore, pubsub, type TestCustomer } from './support/clients.js';
import { anOrderPlacedEvent } from '../support/events.js';
import { eventually } from './support/eventually.js';
import {
  allDone,
  eventOf,
  mailsTo,
  segmentOf,
  sellerEndpoint,
  untilFulfilment,
  webhookAttempts,
  webhooksOf,
} from './support/observe.js';
import { push } from './support/push.js';

const { maxDeliveryAttempts } = topology.delivery.local;
/** The subscribers of `order.placed`, which these faults are about. */
const plans = planSubscriptions(topology).filter((p) => p.topic === topology.topics[0]!.name);

async function deadLetters(subscriber?: string): Promise<DeadLetter[]> {
  const { code, stdout, stderr } = await npmRun('dlq', [
    'list',
    '--json',
    ...(subscriber ? ['--subscriber', subscriber] : []),
  ]);
  expect(code, stderr).to.equal(0);
  return JSON.parse(stdout) as DeadLetter[];
}

async function anOrder(customer: TestCustomer, productId: string) {
  const placed = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
  expect(placed.status).to.equal(201);
  return placed.body.id as string;
}

describe('failure is routine', function () {
  this.timeout(120_000);

  it('1. a failing seller endpoint: retried with backoff, dead-lettered, replayed once, done everywhere', async function () {
    this.timeout(400_000);
    const catalog = await aCatalog({ products: [{ stock: 10 }] });
    const sellerId = catalog.sellers[0]!.id;
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();
    await sellerEndpoint(sellerId, { status: 500 });

    // One failing order: when many deliveries fail in a row, the emulator's own push backoff can
    // hold the next attempt back for minutes (see README, Operate).
    const orderIds = [await anOrder(customer, productId)];

    const expected = {
      notification: 'done',
      seller: 'dead-lettered',
      segmentation: 'done',
    } as const;
    for (const orderId of orderIds) {
      const fulfilment = await untilFulfilment(orderId, customer.token, expected, 300_000);
      // The customer sees a category; the raw error stays for the operators.
      expect(fulfilment.seller).to.include({
        attempts: maxDeliveryAttempts,
        issue: 'seller endpoint unavailable',
      });
      expect(fulfilment.seller).not.to.have.property('lastError');
      const recorded = await firestore()
        .collection(fulfilmentCollection(orderId))
        .doc('seller')
        .get();
      expect(recorded.get('lastError')).to.contain('500');
    }
    const eventIds = await Promise.all(orderIds.map(async (id) => (await eventOf(id)).event.id));
    const attempts = await webhookAttempts(`msg_${eventIds[0]!}_${sellerId}`);
    expect(attempts.map((a) => a.status)).to.deep.equal(Array(maxDeliveryAttempts).fill(500));
    const times = attempts.map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.at(-1)).to.be.greaterThan(2 * gaps[0]!);

    const listed = await eventually(async () => {
      const letters = (await deadLetters('seller')).filter((l) => eventIds.includes(l.eventId!));
      expect(letters).to.have.length(orderIds.length);
      return letters;
    });
    expect(listed[0]).to.include({ subscriber: 'seller', type: orderPlacedType });
    expect(listed[0]!.reason).to.contain('500');
    expect(orderIds).to.include(listed[0]!.orderId);

    await sellerEndpoint(sellerId, { status: 200 });
    for (const eventId of eventIds) {
      const replay = await npmRun('dlq', ['replay', '--subscriber', 'seller', '--event', eventId]);
      expect(replay.code, replay.stderr).to.equal(0);
      expect(replay.stdout).to.contain('replayed 1 to seller');
    }

    for (const orderId of orderIds) {
      await untilFulfilment(orderId, customer.token, allDone);
      expect(await webhooksOf(orderId)).to.have.length(1);
    }
    expect(await mailsTo(customer.email)).to.have.length(orderIds.length);
    expect(await segmentOf(customer.id)).to.include({ orderCount: orderIds.length });
    const remaining = (await deadLetters('seller')).filter((l) => eventIds.includes(l.eventId!));
    expect(remaining).to.be.empty;
  });

  it('2. Pub/Sub unreachable when the order is placed: 201, then the relay publishes', async () => {
    const faults = localSystem().pubsubFaults!;
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();

    faults.refuse();
    let orderId: string;
    try {
      orderId = await anOrder(customer, catalog.products[0]!.id);
      expect((await eventOf(orderId)).publishedAt).to.equal(null);
    } finally {
      faults.restore();
    }

    await untilFulfilment(orderId, customer.token, allDone, 60_000);
    expect((await eventOf(orderId)).publishedAt).to.not.equal(null);
    expect(await mailsTo(customer.email)).to.have.length(1);
  });

  it('3. the order service killed between commit and publish: the relay delivers the event', async () => {
    const system = localSystem();
    const faults = system.pubsubFaults!;
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();

    // Pub/Sub hangs, so the request stays between commit and publish until the process dies.
    faults.blackhole();
    let stopped = false;
    try {
      const request = placeOrder(customer.token, [
        { productId: catalog.products[0]!.id, quantity: 1 },
      ]);
      const committed = await eventually(async () => {
        const orders = await firestore()
          .collection('orders')
          .where('customer.id', '==', customer.id)
          .get();
        expect(orders.size).to.equal(1);
        return orders.docs[0]!.id;
      });
      await system.stopService('order', 'SIGKILL');
      stopped = true;
      // The instance died mid-request: the front end answers 502 for it, as Cloud Run does.
      const response = await request;
      expect(response.status, 'answered by the front end, not the service').to.equal(502);
      expect(response.headers.get('content-type')).to.match(/^text\/html/);
      expect((await eventOf(committed)).publishedAt).to.equal(null);
      faults.restore();
      await system.startService('order');
      stopped = false;
      await untilFulfilment(committed, customer.token, allDone, 60_000);
    } finally {
      faults.restore();
      if (stopped) await system.startService('order');
    }
  });

  it('4. the same push delivered twice, and two copies at once: one effect', async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 1234 }] });
    const customer = await aCustomer();
    const orderId: string = randomUUID();
    const event: CloudEvent = {
      id: randomUUID(),
      type: orderPlacedType,
      source: '/services/order',
      subject: `orders/${orderId}`,
      time: new Date().toISOString(),
      data: {
        orderId,
        customer: { id: customer.id, email: customer.email },
        lines: [
          {
            productId: catalog.products[0]!.id,
            sellerId: catalog.sellers[0]!.id,
            name: 'Product 0',
            quantity: 1,
            unitPriceCents: 1234,
            lineTotalCents: 1234,
          },
        ],
        totalCents: 1234,
        currency: 'EUR',
        placedAt: new Date().toISOString(),
      },
    };

    for (const plan of plans) {
      const concurrent = await Promise.all([
        push(plan, event, 'copy-1'),
        push(plan, event, 'copy-2'),
      ]);
      expect(concurrent, plan.subscriber).to.include(204);
      // Pub/Sub redelivers whichever copy was refused; then once more for good measure.
      expect(await push(plan, event, 'copy-3')).to.equal(204);
      expect(await push(plan, event, 'copy-4')).to.equal(204);
    }

    expect(await mailsTo(customer.email)).to.have.length(1);
    expect(await webhooksOf(orderId)).to.have.length(1);
    expect(await segmentOf(customer.id)).to.include({ orderCount: 1 });
  });

  it('5. a malformed or unknown-version message is dead-lettered with a reason; valid ones flow', async () => {
    const topic = pubsub().topic(topology.topics[0]!.name);
    const unknownVersion: string = randomUUID();
    const malformed: string = randomUUID();
    const attributes = (id: string, type: string) => ({
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-type': type,
      'ce-source': '/tests',
      'ce-subject': 'orders/none',
      'ce-time': new Date().toISOString(),
    });
    await topic.publishMessage({
      data: Buffer.from('{"orderId":"x"}'),
      attributes: attributes(unknownVersion, 'order.placed.v2'),
    });
    await topic.publishMessage({
      data: Buffer.from('not json'),
      attributes: attributes(malformed, orderPlacedType),
    });

    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();
    const orderId = await anOrder(customer, catalog.products[0]!.id);
    await untilFulfilment(orderId, customer.token, allDone);

    const letters = await eventually(
      async () => {
        const ours = (await deadLetters()).filter((l) =>
          [unknownVersion, malformed].includes(l.eventId!),
        );
        expect(ours).to.have.length(2 * plans.length);
        return ours;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    for (const letter of letters) {
      expect(letter.reason).to.contain(
        letter.eventId === unknownVersion ? 'unknown event type order.placed.v2' : 'not JSON',
      );
    }
  });

  it('6. a subscriber slower than the ack deadline: no duplicate effect', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const sellerId = catalog.sellers[0]!.id;
    const customer = await aCustomer();
    const slowMs = (topology.delivery.local.ackDeadlineSeconds + 3) * 1000;
    await sellerEndpoint(sellerId, { delayMs: slowMs });

    const orderId = await anOrder(customer, catalog.products[0]!.id);
    await untilFulfilment(orderId, customer.token, allDone, 60_000);

    const eventId = (await eventOf(orderId)).event.id;
    expect(await webhookAttempts(`msg_${eventId}_${sellerId}`)).to.have.length(1);
    expect(await webhooksOf(orderId)).to.have.length(1);
    expect(await mailsTo(customer.email)).to.have.length(1);
    await sellerEndpoint(sellerId, {});
  });

  it('7. an outbox entry that is not a valid event is set aside, shown by outbox status', async () => {
    const event = anOrderPlacedEvent({ data: { lines: [] } });
    const entry = firestore().collection('outbox').doc(event.id);
    const setAside = firestore().collection('outboxSetAside').doc(event.id);
    await entry.set({ event, createdAt: new Date(Date.now() - 60_000), publishedAt: null });
    try {
      const report = await eventually(
        async () => {
          const { code, stdout } = await npmRun('outbox', ['status', '--json']);
          expect(code).to.equal(1);
          const parsed = JSON.parse(stdout) as {
            latestSetAside: { eventId: string; reason: string }[];
          };
          const ours = parsed.latestSetAside.find((e) => e.eventId === event.id);
          expect(ours).to.not.equal(undefined);
          return ours!;
        },
        { timeoutMs: 30_000, intervalMs: 1000 },
      );
      expect(report.reason).to.contain('not a valid order.placed.v1');
      expect((await entry.get()).exists).to.equal(false);
    } finally {
      await Promise.all([entry.delete(), setAside.delete()]);
    }
  });
});
