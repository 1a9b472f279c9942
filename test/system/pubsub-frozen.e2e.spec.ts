import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { defaultPublishBreakerSettings } from '@orderflow/outbox';
import { localSystem } from './fixture.js';
import { placeOrder } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { allDone, eventOf, untilFulfilment } from './support/observe.js';

/** The order service's bound on a publish (PUBLISH_TIMEOUT_MS, its default). */
const publishTimeoutMs = 1500;
/** The local relay leaves an entry this long to the request that wrote it (RELAY_GRACE_MS). */
const relayGraceMs = 3000;

describe('Pub/Sub frozen', function () {
  this.timeout(120_000);

  it('takes orders without waiting for Pub/Sub once publishing is paused; every event is delivered after the thaw; requests publish again after the pause', async () => {
    const catalog = await aCatalog({ products: [{ stock: 100 }] });
    const productId = catalog.products[0]!.id;
    const order = async () => {
      const customer = await aCustomer();
      const started = Date.now();
      const response = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      return { id: response.body.id as string, token: customer.token, ms: Date.now() - started };
    };

    localSystem().freezeEmulator('pubsub', true);
    let placed: Awaited<ReturnType<typeof order>>[];
    let pausedAt: number;
    try {
      // Enough at once for the breaker of each of the two order instances to judge: each order
      // waits out its publish bound, and is taken all the same.
      const failing = defaultPublishBreakerSettings.volumeThreshold * 2 + 2;
      const waited = await Promise.all(Array.from({ length: failing }, order));
      pausedAt = Date.now();
      expect(Math.min(...waited.map((o) => o.ms))).to.be.at.least(publishTimeoutMs);

      // Publishing is paused: the next orders answer after their commit, without a publish that
      // could only have ended with its bound.
      const paused: typeof waited = [];
      for (let i = 0; i < 4; i += 1) paused.push(await order());
      for (const o of paused) expect(o.ms).to.be.below(publishTimeoutMs);
      placed = [...waited, ...paused];
    } finally {
      localSystem().freezeEmulator('pubsub', false);
    }

    // The relay publishes what the requests did not: each order reaches every subscriber.
    for (const o of placed) await untilFulfilment(o.id, o.token, allDone, 40_000);

    // After the pause one trial publish per instance; it succeeds and requests publish again:
    // their events are published sooner than the relay would take them.
    await sleep(Math.max(0, pausedAt + defaultPublishBreakerSettings.pauseMs - Date.now()));
    for (let i = 0; i < 2; i += 1) {
      const resumed = await order();
      await eventually(
        async () => expect((await eventOf(resumed.id)).publishedAt).to.not.equal(undefined),
        { timeoutMs: relayGraceMs - 500 },
      );
    }
  });
});
