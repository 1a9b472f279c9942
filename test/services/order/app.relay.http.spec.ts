import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import { defaultRelaySettings, relayPath, type EventPublisher } from '@orderflow/outbox';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp } from '../../support/order-app.js';
import { RecordingPublisher } from '../../support/publisher.js';

const requestMs = 200;

describe('POST /internal/outbox/relay, as Cloud Scheduler calls it', () => {
  let issuer: TestIssuer;

  before(async () => {
    issuer = await aTestIssuer();
  });

  it('answers when the pass ends, with its report, though the pass outlasts the public request deadline', async () => {
    const recording = new RecordingPublisher();
    // Pub/Sub slow after an outage: the pass publishes one at a time, for longer than requestMs.
    const slow: EventPublisher = {
      retriableLater: true,
      publish: async (event, origin) => {
        await sleep(requestMs / 2);
        await recording.publish(event, origin);
      },
    };
    const h = anOrderApp({
      issuer,
      products: [aProduct({ id: 'mug', stock: 10 })],
      publisher: slow,
      deps: {
        clock: () => new Date(),
        relay: { ...defaultRelaySettings, graceMs: 0, concurrency: 1 },
        timeouts: { requestMs, publishMs: requestMs / 4 },
      },
    });
    const left = 4;
    for (let i = 0; i < left; i++) {
      await h.store.placeOrder({
        orderId: `order-${i}`,
        eventId: `event-${i}`,
        customer: aCustomer(),
        items: [{ productId: 'mug', quantity: 1 }],
        now: new Date(Date.now() - 1000),
      });
    }

    const started = Date.now();
    const res = await request(h.app).post(relayPath);

    expect(Date.now() - started).to.be.above(requestMs);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.equal({ published: left, failed: 0, setAside: 0, deferred: 0 });
    expect(recording.published).to.have.length(left);
  });
});
