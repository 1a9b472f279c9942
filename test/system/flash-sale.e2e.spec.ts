import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { localSystem, testConfig } from './fixture.js';
import { placeOrder, stockOf, type ApiResponse } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { untilAllDone } from './support/observe.js';

/**
 * A flash sale: many buyers at once for the few units of one product, through the front end
 * that spreads them over two order instances (`testConfig.ORDER_INSTANCES`), so that the stock
 * is contended across processes as on Cloud Run, not only inside one.
 */
const buyers = 300;
const units = 150;
/** A buyer whose order got `503 busy` sends it again with the same key, as the API asks. */
const maxAttempts = 10;
const maxRetryWaitMs = 2_000;

type Item = { productId: string; quantity: number };

/** One buyer's order, retried with its `Idempotency-Key` while the API answers `503` busy. */
async function buy(token: string, items: Item[]): Promise<ApiResponse & { attempts: number }> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt += 1) {
    const response = await placeOrder(token, items, { 'idempotency-key': key });
    if (response.status !== 503 || attempt === maxAttempts)
      return { ...response, attempts: attempt };
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds * 1000, maxRetryWaitMs)));
  }
}

/** Every buyer at once, each a customer of their own; the answers, in the buyers' order. */
async function sale(orderOf: (buyer: number) => Item[]) {
  const customers = await Promise.all(Array.from({ length: buyers }, () => aCustomer()));
  const before = instanceCounts();
  const answers = await Promise.all(customers.map((c, i) => buy(c.token, orderOf(i))));
  const after = instanceCounts();
  const statuses = new Map<number, number>();
  for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  return {
    answers,
    statuses: Object.fromEntries(statuses),
    served: after.map((n, i) => n - before[i]!),
  };
}

const instanceCounts = () =>
  Object.keys(localSystem().urls.orderInstances).map((name) => localSystem().forwardedTo(name));

/**
 * Each order the sale took reaches every subscriber. Waited for here, too, so that the next
 * spec's orders do not queue behind the sale's deliveries (on a loaded machine they took longer
 * than its 20 s).
 */
const untilDelivered = (answers: ApiResponse[]) =>
  untilAllDone(answers.filter((a) => a.status === 201).map((a) => a.body.id as string));

describe(`a flash sale: ${buyers} buyers at once for ${units} units, on ${testConfig.ORDER_INSTANCES} instances`, function () {
  this.timeout(120_000);

  // The Firestore emulator's transactions are slow until its JIT has compiled them: a cold one
  // given 300 at once for one document times out on its own locks over and over (thousands of
  // "Transaction lock timeout" in its log) and the sale never ends. A few orders first warm it,
  // as the specs before this one do in a full run.
  before(async () => {
    const catalog = await aCatalog({ products: [{ stock: 1_000 }] });
    const productId = catalog.products[0]!.id;
    const customers = await Promise.all(Array.from({ length: 20 }, () => aCustomer()));
    for (const batch of [customers.slice(0, 2), customers.slice(2)]) {
      const answers = await Promise.all(
        batch.map((c) => buy(c.token, [{ productId, quantity: 1 }])),
      );
      expect(answers.map((a) => a.status)).to.deep.equal(batch.map(() => 201));
    }
  });

  it(`one product: exactly ${units} orders, ${buyers - units} insufficient-stock, stock 0`, async () => {
    const catalog = await aCatalog({ products: [{ stock: units }] });
    const productId = catalog.products[0]!.id;

    const { answers, statuses, served } = await sale(() => [{ productId, quantity: 1 }]);

    expect(statuses).to.deep.equal({ 201: units, 409: buyers - units });
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).to.include({ code: 'insufficient-stock', productId, available: 0 });
    }
    expect(await stockOf(productId)).to.equal(0);
    expect(
      served.every((n) => n > 0),
      `requests per instance: ${served.join(', ')}`,
    ).to.equal(true);
    await untilDelivered(answers);
  });

  it('several lines per order: each order all or nothing, the scarce product sold out exactly', async () => {
    const catalog = await aCatalog({
      products: [{ stock: units }, { stock: buyers }, { stock: 1_000 }],
    });
    const [scarce, plenty, bulk] = catalog.products.map((p) => p.id) as [string, string, string];
    // Half the orders list the lines the other way round: no order of locking is assumed.
    const lines: Item[] = [
      { productId: scarce, quantity: 1 },
      { productId: plenty, quantity: 1 },
      { productId: bulk, quantity: 2 },
    ];

    const { answers, statuses, served } = await sale((i) => (i % 2 ? lines : [...lines].reverse()));

    expect(statuses).to.deep.equal({ 201: units, 409: buyers - units });
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).to.include({ code: 'insufficient-stock', productId: scarce });
    }
    for (const placed of answers.filter((a) => a.status === 201)) {
      expect((placed.body.lines as Item[]).map((l) => l.productId)).to.have.members([
        scarce,
        plenty,
        bulk,
      ]);
    }
    // The refused orders took nothing of the products that were left.
    expect(await stockOf(scarce)).to.equal(0);
    expect(await stockOf(plenty)).to.equal(buyers - units);
    expect(await stockOf(bulk)).to.equal(1_000 - 2 * units);
    expect(
      served.every((n) => n > 0),
      `requests per instance: ${served.join(', ')}`,
    ).to.equal(true);
    await untilDelivered(answers);
  });
});
