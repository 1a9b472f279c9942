import { expect } from 'chai';
import { orderConfig } from '@orderflow/order/config';
import { parseConfig } from '@orderflow/platform';
import { localServiceEnv } from '@orderflow/tools/local/service-env';
import type { OutboxReport } from '@orderflow/tools/shared/outbox';
import { localSystem, testConfig } from './fixture.js';
import { placeOrder } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { allDone, eventOf, untilFulfilment } from './support/observe.js';

/** How often the local system's order service runs its relay. */
const { RELAY_INTERVAL_MS: relayIntervalMs } = parseConfig(
  orderConfig,
  localServiceEnv(testConfig, 'order', { port: testConfig.ORDER_INSTANCE_PORT }),
);
if (relayIntervalMs === undefined) throw new Error('the local order service runs no relay');

/** More passes than the relay once allowed an entry's publish to fail before setting it aside. */
const passes = 12;
/** A frozen pass takes its interval and its publishes' bound: three intervals is ample. */
const outageBoundMs = (passes + 1) * 3 * relayIntervalMs;

describe('a long Pub/Sub outage', function () {
  this.timeout(outageBoundMs + 180_000);

  it('loses no order: frozen for more than twelve relay passes while orders keep coming, every order answered 201 reaches all three subscribers after the thaw, and nothing is set aside', async () => {
    const catalog = await aCatalog({ products: [{ stock: 1000 }] });
    const productId = catalog.products[0]!.id;
    /** The orders answered 201: the promise is theirs. */
    const placed: { id: string; token: string }[] = [];
    /** Any other answer: on a loaded machine an order may be refused `503 busy`, and not taken. */
    const refused: string[] = [];
    const order = async () => {
      const customer = await aCustomer();
      const response = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
      if (response.status === 201)
        placed.push({ id: response.body.id as string, token: customer.token });
      else refused.push(`${response.status} ${String(response.body.code)}`);
    };

    localSystem().freezeEmulator('pubsub', true);
    try {
      // Orders keep arriving until the relay has failed to publish the first one's event in
      // more than `passes` passes (both instances' relays count).
      await eventually(
        async () => {
          await order();
          expect(placed, 'an order answered 201').to.not.deep.equal([]);
          const first = await eventOf(placed[0]!.id);
          expect(first.publishedAt).to.equal(null);
          expect(first.relayFailures).to.be.above(passes);
        },
        { timeoutMs: outageBoundMs, intervalMs: relayIntervalMs / 2 },
      );
    } finally {
      localSystem().freezeEmulator('pubsub', false);
    }
    expect(refused.filter((answer) => answer !== '503 busy')).to.deep.equal([]);

    for (const o of placed) await untilFulfilment(o.id, o.token, allDone, 60_000);
    const { stdout } = await npmRun('outbox', ['status', '--json']);
    const report = JSON.parse(stdout) as OutboxReport;
    expect(report.setAside).to.equal(0);
    expect(report.latestSetAside).to.deep.equal([]);
  });
});
