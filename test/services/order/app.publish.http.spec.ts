import { expect } from 'chai';
import request from 'supertest';
import { orderPlacedType } from '@orderflow/events';
import { PubSubPublisher } from '@orderflow/outbox';
import { topology } from '@orderflow/topology';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderPlacedEvent } from '../../support/events.js';
import { anOrderApp } from '../../support/order-app.js';

type PubSubClient = ConstructorParameters<typeof PubSubPublisher>[0];

interface Publication {
  topic: string;
  options: unknown;
  attributes: Record<string, string>;
}

/** A Pub/Sub client whose publish never answers, recording what it was asked. */
function hangingPubSub(publications: Publication[]): PubSubClient {
  const client = {
    topic: (topic: string, options: unknown) => ({
      publishMessage: (message: { attributes: Record<string, string> }) => {
        publications.push({ topic, options, attributes: message.attributes });
        return new Promise<never>(() => undefined);
      },
    }),
  };
  return client as unknown as PubSubClient;
}

const ada = aCustomer();
const body = { items: [{ productId: 'mug', quantity: 1 }] };

describe('POST /orders when publishing fails', () => {
  let issuer: TestIssuer;

  before(async () => {
    issuer = await aTestIssuer();
  });

  it('still answers 201 when the publisher throws, and keeps the event unpublished', async () => {
    const h = anOrderApp({ issuer, products: [aProduct({ id: 'mug', stock: 3 })] });
    h.publisher.failWith = new Error('pubsub unavailable');

    await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send(body)
      .expect(201);

    const entries = [...h.store.outbox.values()];
    expect(entries).to.have.length(1);
    expect(entries[0]?.publishedAt).to.equal(undefined);
    expect(h.snapshot()).to.deep.include({ stock: { mug: 2 }, orders: 1, published: 0 });
  });

  it('fails the request when the publisher cannot be retried later (request-response)', async () => {
    const h = anOrderApp({ issuer, products: [aProduct({ id: 'mug', stock: 3 })] });
    h.publisher.retriableLater = false;
    h.publisher.failWith = new Error('seller answered 503');

    await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send(body)
      .expect(500);

    // Committed before the calls, as in any request-response design without compensation.
    expect(h.snapshot()).to.deep.include({ stock: { mug: 2 }, orders: 1, published: 0 });
  });

  it('still answers 201 when Pub/Sub hangs, once the publish timeout passes', async () => {
    const publications: Publication[] = [];
    const publisher = new PubSubPublisher(hangingPubSub(publications), topology, {
      timeoutMs: 50,
    });
    const h = anOrderApp({ issuer, publisher, products: [aProduct({ id: 'mug', stock: 3 })] });

    const started = Date.now();
    await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send(body)
      .expect(201);

    expect(Date.now() - started).to.be.below(2_000);
    expect([...h.store.outbox.values()][0]?.publishedAt).to.equal(undefined);
    expect(publications).to.have.length(1);
    expect(publications[0]).to.deep.include({ topic: 'order-placed.v1' });
    expect(publications[0]?.attributes).to.include({ 'ce-type': orderPlacedType });
  });

  it('answers 201 for an order whose commit ended just before the store deadline, the publish cut to the time left', async () => {
    const publisher = new PubSubPublisher(hangingPubSub([]), topology, { timeoutMs: 300 });
    const h = anOrderApp({
      issuer,
      publisher,
      products: [aProduct({ id: 'mug', stock: 3 })],
      deps: { timeouts: { requestMs: 600, publishMs: 300 } },
    });
    // The store answers as a commit does that resolved at its deadline but whose answer ran a
    // little later, on a busy event loop.
    const placeOrder = h.store.placeOrder.bind(h.store);
    h.store.placeOrder = async (command) => {
      const placed = await placeOrder(command);
      await new Promise((resolve) =>
        setTimeout(resolve, command.deadline!.getTime() - Date.now() + 30),
      );
      return placed;
    };

    await request(h.app)
      .post('/orders')
      .set('Authorization', await h.authorization(ada))
      .send(body)
      .expect(201);

    expect([...h.store.outbox.values()][0]?.publishedAt).to.equal(undefined);
  });

  it('publishes each message at once, without batching, and gives up after the timeout', async () => {
    const publications: Publication[] = [];
    const publisher = new PubSubPublisher(hangingPubSub(publications), topology, {
      timeoutMs: 50,
    });
    const outcome = await publisher.publish(anOrderPlacedEvent()).then(
      () => 'published',
      (error: unknown) => (error as Error).message,
    );
    expect(outcome).to.match(/timed out after 50 ms/);
    expect(publications[0]?.options).to.deep.include({
      batching: { maxMessages: 1, maxMilliseconds: 0 },
    });
  });
});
