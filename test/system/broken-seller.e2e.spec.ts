import { expect } from 'chai';
import type { ReplayResult } from '@orderflow/tools/shared/dead-letters';
import { placeOrder } from './support/api.js';
import { dlqList, npmRun } from './support/cli.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { fulfilmentOf, sellerEndpoint, untilFulfilment, webhooksOf } from './support/observe.js';

const orders = 12;

/**
 * One seller's endpoint is down for a run of orders shared with a healthy seller. The local
 * system retries a seller 5 times, 1 s to 10 s apart, and sweeps every second: its deliveries
 * are dead-lettered in well under a minute, while the healthy seller hears of every order at once.
 */
describe('a broken seller', function () {
  this.timeout(90_000);

  it('costs only that seller: the others are told at once, its deliveries dead-lettered in bounded time, each told once after a replay', async () => {
    const catalog = await aCatalog({
      sellers: [{}, {}],
      products: [
        { seller: 0, stock: 100 },
        { seller: 1, stock: 100 },
      ],
    });
    const healthy = catalog.sellers[0]!;
    const broken = catalog.sellers[1]!;
    await sellerEndpoint(broken.id, { status: 503 });
    try {
      const customer = await aCustomer();
      const orderIds = await Promise.all(
        Array.from({ length: orders }, async () => {
          const placed = await placeOrder(
            customer.token,
            catalog.products.map((p) => ({ productId: p.id, quantity: 1 })),
          );
          expect(placed.status).to.equal(201);
          return placed.body.id as string;
        }),
      );
      const sellersTold = async (orderId: string) =>
        (await webhooksOf(orderId)).map((w) => w.sellerId);

      // The healthy seller is not held back by the broken one, nor by the subscription.
      await eventually(
        async () => {
          for (const id of orderIds) expect(await sellersTold(id)).to.deep.equal([healthy.id]);
        },
        { timeoutMs: 15_000, intervalMs: 500 },
      );
      // While it is retried, the order says so.
      const retrying = await eventually(
        async () => {
          const { seller } = await fulfilmentOf(orderIds[0]!, customer.token);
          expect(seller).to.include({ state: 'retrying', issue: 'seller endpoint unavailable' });
          return seller!;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(retrying.attempts).to.be.greaterThan(0);
      // The order says dead-lettered only once `dlq list` shows it: listed at once, no retry.
      const deadLettered = {
        notification: 'done',
        seller: 'dead-lettered',
        segmentation: 'done',
      } as const;
      await untilFulfilment(orderIds[0]!, customer.token, deadLettered, 50_000);
      const listed = (await dlqList('seller')).map((l) => l.orderId);
      expect(listed).to.include(orderIds[0]);

      const letters = await eventually(
        async () => {
          const ours = (await dlqList('seller')).filter((l) => orderIds.includes(l.orderId!));
          expect(ours).to.have.length(orders);
          return ours;
        },
        { timeoutMs: 50_000, intervalMs: 1000 },
      );
      for (const letter of letters) {
        expect(letter).to.include({
          subscriber: 'seller',
          state: 'dead-lettered',
          part: `seller:${broken.id}`,
          attempts: 5,
        });
      }
      for (const id of orderIds) {
        await untilFulfilment(id, customer.token, deadLettered);
      }

      await sellerEndpoint(broken.id, { status: 200 });
      // As an operator would once the seller says it is mended: every seller dead letter at once.
      const replay = await npmRun('dlq', ['replay', '--subscriber', 'seller', '--all', '--json']);
      expect(replay.code, replay.stderr).to.equal(0);
      const results = (JSON.parse(replay.stdout) as ReplayResult[]).filter((r) =>
        orderIds.includes(r.letter.orderId!),
      );
      expect(results.map((r) => r.outcome)).to.deep.equal(Array(orders).fill('requeued'));
      for (const id of orderIds) {
        await untilFulfilment(id, customer.token, {
          notification: 'done',
          seller: 'done',
          segmentation: 'done',
        });
      }
      // Each seller told exactly once per order: the replay re-told only the broken one.
      for (const id of orderIds) {
        expect((await sellersTold(id)).sort()).to.deep.equal([healthy.id, broken.id].sort());
      }
      const after = (await dlqList('seller')).filter((l) => orderIds.includes(l.orderId!));
      expect(after).to.deep.equal([]);
    } finally {
      await sellerEndpoint(broken.id, { status: 200 });
    }
  });
});
