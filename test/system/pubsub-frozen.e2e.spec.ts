import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { orderConfig } from '@orderflow/order/config';
import { defaultPublishBreakerSettings } from '@orderflow/outbox';
import { parseConfig } from '@orderflow/platform';
import { localServiceEnv } from '@orderflow/tools/local/service-env';
import { localSystem, testConfig } from './fixture.js';
import { placeOrder } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { allDone, eventOf, untilFulfilment } from './support/observe.js';

/**
 * The order service's settings as the local system runs it: its bound on a publish, and how long
 * its relay leaves an entry to the request that wrote it.
 */
const { PUBLISH_TIMEOUT_MS: publishTimeoutMs, RELAY_GRACE_MS: relayGraceMs } = parseConfig(
  orderConfig,
  localServiceEnv(testConfig, 'order', { port: testConfig.ORDER_INSTANCE_PORT }),
);

describe('Pub/Sub frozen', function () {
  this.timeout(120_000);

  it('takes orders without waiting for Pub/Sub once publishing is paused; every event is delivered after the thaw; requests publish again after the pause', async () => {
    const catalog = await aCatalog({ products: [{ stock: 1000 }] });
    const productId = catalog.products[0]!.id;
    const order = async () => {
      const customer = await aCustomer();
      const started = Date.now();
      const response = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      return { id: response.body.id as string, token: customer.token, ms: Date.now() - started };
    };

    localSystem().freezeEmulator('pubsub', true);
    const placed: Awaited<ReturnType<typeof order>>[] = [];
    try {
      // Each order instance pauses once most of its publishes of the last 10 s failed (earlier
      // tests' successes count too): until then an order waits out its publish bound, and is
      // taken all the same. Then a batch, spread over both instances, answers after its commits,
      // without a publish that could only have ended with its bound.
      await eventually(
        async () => {
          const batch = await Promise.all(Array.from({ length: 4 }, order));
          placed.push(...batch);
          for (const o of batch) expect(o.ms).to.be.below(publishTimeoutMs);
        },
        { timeoutMs: 60_000, intervalMs: 0 },
      );
      // Frozen until a relay pass has failed to publish the first order's event, as a pass
      // would during an outage: its entry must not wait out the pass's lease after the thaw.
      await eventually(
        async () => expect((await eventOf(placed[0]!.id)).relayFailures).to.be.at.least(1),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
    } finally {
      localSystem().freezeEmulator('pubsub', false);
    }
    const pausedAt = Date.now();
    expect(Math.max(...placed.map((o) => o.ms))).to.be.at.least(publishTimeoutMs);

    // The relay publishes what the requests did not, its failed entries included, in its next
    // passes (every 5 s here): each order reaches every subscriber, sooner than the 60 s lease.
    for (const o of placed) await untilFulfilment(o.id, o.token, allDone, 30_000);

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
