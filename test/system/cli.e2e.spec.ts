import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { call, placeOrder, stockOf } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { eventOf } from './support/observe.js';

function writeJson(value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'orderflow-')), 'catalog.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('the operator commands', () => {
  it('token prints a bearer token the order API accepts', async () => {
    const { stdout } = await npmRun('token', [
      '--sub',
      'cli-customer',
      '--email',
      'cli@example.test',
    ]);
    const response = await call('GET', '/orders/none', { token: stdout.trim() });
    expect(response.status).to.equal(404);
    const anonymous = await call('GET', '/orders/none');
    expect(anonymous.status).to.equal(401);
  });

  it('seed upserts sellers and products', async () => {
    const id = `seeded-${Date.now()}`;
    const file = writeJson({
      sellers: [{ id, name: 'Seeded', email: 'seeded@sellers.test' }],
      products: [{ id, sellerId: id, name: 'Seeded', priceCents: 100, currency: 'EUR', stock: 7 }],
    });
    const first = await npmRun('seed', [file]);
    expect(first.code, first.stderr).to.equal(0);
    expect(await stockOf(id)).to.equal(7);

    writeFileSync(
      file,
      JSON.stringify({
        products: [
          { id, sellerId: id, name: 'Seeded', priceCents: 100, currency: 'EUR', stock: 9 },
        ],
      }),
    );
    await npmRun('seed', [file]);
    expect(await stockOf(id)).to.equal(9);
  });

  it('seed refuses an invalid catalog and writes nothing', async () => {
    const id = `invalid-${Date.now()}`;
    const file = writeJson({
      products: [
        { id, sellerId: 's', name: 'Fine', priceCents: 100, currency: 'EUR', stock: 1 },
        { id: `${id}-2`, sellerId: 's', name: 'Bad', priceCents: -1, currency: 'euro', stock: 1 },
      ],
    });
    const result = await npmRun('seed', [file]);
    expect(result.code).to.equal(2);
    expect(result.stderr)
      .to.contain('products[1].priceCents')
      .and.to.contain('products[1].currency');
    expect(await stockOf(id)).to.equal(undefined);
  });

  it('segments export prints every customer segment as NDJSON or CSV', async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 2500 }] });
    const customer = await aCustomer();
    await placeOrder(customer.token, [{ productId: catalog.products[0]!.id, quantity: 2 }]);

    const ndjson = await eventually(async () => {
      const { stdout } = await npmRun('segments', ['export', '--format', 'ndjson']);
      const line = stdout.split('\n').find((l) => l.includes(customer.id));
      expect(line).to.not.equal(undefined);
      return JSON.parse(line!) as Record<string, unknown>;
    });
    expect(ndjson).to.include({ customerId: customer.id, orderCount: 1, segment: 'new' });
    expect(ndjson.totalSpentCents).to.deep.equal({ EUR: 5000 });

    const { stdout: csv } = await npmRun('segments', ['export', '--format', 'csv']);
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).to.equal(
      'customerId,segment,orderCount,totalSpentCents,firstOrderAt,lastOrderAt',
    );
    expect(rows.find((r) => r.startsWith(customer.id))).to.contain(',new,1,"{""EUR"":5000}",');
  });

  it("prints no library noise: outbox status's stderr is empty without the services' environment", async () => {
    const { stderr } = await npmRun('outbox', ['status']);
    expect(stderr).to.equal('');
  });

  it('outbox requeue puts an entry set aside back, and the relay publishes it', async function () {
    // Three commands, each started by npm and tsx: seconds apiece on a loaded machine.
    this.timeout(180_000);
    const catalog = await aCatalog({ products: [{ stock: 5 }] });
    const customer = await aCustomer();
    const placed = await placeOrder(customer.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);
    const orderId = placed.body.id as string;
    const { event, createdAt } = await eventually(async () => {
      const entry = await eventOf(orderId);
      expect(entry.publishedAt).to.not.equal(null);
      return entry;
    });
    // As the relay sets an entry aside: out of the outbox, kept with why.
    const entry = firestore().collection('outbox').doc(event.id);
    const setAside = firestore().collection('outboxSetAside').doc(event.id);
    await firestore()
      .batch()
      .set(setAside, {
        event,
        createdAt,
        publishedAt: null,
        relayFailures: 3,
        reason: 'failing since then: INVALID_ARGUMENT',
        setAsideAt: new Date(),
      })
      .delete(entry)
      .commit();
    try {
      const status = await npmRun('outbox', ['status']);
      expect(status.code).to.equal(1);
      expect(status.stdout).to.match(new RegExp(`SET ASIDE  event ${event.id}  order ${orderId}`));
      expect(status.stderr).to.equal('');

      const requeued = await npmRun('outbox', ['requeue', event.id]);
      expect(requeued).to.deep.include({ code: 0, stderr: '' });
      expect(requeued.stdout).to.contain('requeued 1');
      // Published again by the relay's next pass; the subscribers drop the duplicate by its id.
      await eventually(
        async () => {
          const back = await eventOf(orderId);
          expect(back.publishedAt).to.not.equal(null);
          expect(back.relayFailures).to.equal(undefined);
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect((await setAside.get()).exists).to.equal(false);
      expect(await npmRun('outbox', ['requeue', event.id])).to.deep.include({
        code: 1,
        stderr: `no entry ${event.id} is set aside\n`,
      });
    } finally {
      await setAside.delete();
    }
  });
});
