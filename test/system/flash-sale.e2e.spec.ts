import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { localSystem, testConfig } from './fixture.js';
import { placeOrder, stockOf, type ApiResponse } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { untilAllDone } from './support/observe.js';

/**
 * A flash sale: many buyers at once for the few units of one product, through the front end
 * that spreads them over two order instances (`testConfig.ORDER_INSTANCES`), so that the stock
 * is contended across processes as on Cloud Run, not only inside one. Buyers do not retry: a
 * shop that answers `503` during its sale has lost the buyer, so none may get one.
 */
const buyers = 300;
const units = 150;

type Item = { productId: string; quantity: number };

/** One buyer's order, sent once, with an `Idempotency-Key` as a shop sends it. */
const buy = (token: string, items: Item[]): Promise<ApiResponse> =>
  placeOrder(token, items, { 'idempotency-key': randomUUID() });

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

  // The Firestore emulator is slow until its JIT has compiled the paths of a commit (cold, its
  // first commit of a few hundred writes took 3.8 s, warm 1.3 s), which Firestore is not. A
  // sale of a few dozen first warms it, as the specs before this one do in a full run.
  before(async () => {
    const catalog = await aCatalog({ products: [{ stock: 1_000 }] });
    const productId = catalog.products[0]!.id;
    const customers = await Promise.all(Array.from({ length: 40 }, () => aCustomer()));
    const answers = await Promise.all(
      customers.map((c) => buy(c.token, [{ productId, quantity: 1 }])),
    );
    expect(answers.map((a) => a.status)).to.deep.equal(customers.map(() => 201));
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

  it('several lines per order, mixing the hot product with quiet ones: each order all or nothing, the hot one sold out exactly', async () => {
    const catalog = await aCatalog({
      products: [{ stock: units }, { stock: buyers }, { stock: buyers }, { stock: 1_000 }],
    });
    const [hot, ...quiet] = catalog.products.map((p) => p.id) as [string, ...string[]];
    // Buyers list the hot product with one or two quiet ones, in either order: no order of
    // lines, nor one set of products per sale, is assumed.
    const linesOf = (buyer: number): Item[] => {
      const lines = [
        { productId: hot, quantity: 1 },
        { productId: quiet[buyer % 2]!, quantity: 1 },
        ...(buyer % 3 === 0 ? [{ productId: quiet[2]!, quantity: 2 }] : []),
      ];
      return buyer % 4 < 2 ? lines : lines.reverse();
    };

    const { answers, statuses, served } = await sale(linesOf);

    expect(statuses).to.deep.equal({ 201: units, 409: buyers - units });
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).to.include({ code: 'insufficient-stock', productId: hot });
    }
    const placed = answers.flatMap((a, buyer) => (a.status === 201 ? [buyer] : []));
    for (const buyer of placed) {
      const lines = answers[buyer]!.body.lines as Item[];
      expect(lines.map((l) => l.productId)).to.have.members(linesOf(buyer).map((l) => l.productId));
    }
    // The refused orders took nothing of the quiet products.
    const taken = (productId: string) =>
      placed
        .flatMap((b) => linesOf(b))
        .filter((l) => l.productId === productId)
        .reduce((n, l) => n + l.quantity, 0);
    expect(await stockOf(hot)).to.equal(0);
    for (const [i, productId] of quiet.entries()) {
      expect(await stockOf(productId)).to.equal([buyers, buyers, 1_000][i]! - taken(productId));
    }
    expect(
      served.every((n) => n > 0),
      `requests per instance: ${served.join(', ')}`,
    ).to.equal(true);
    await untilDelivered(answers);
  });
});
