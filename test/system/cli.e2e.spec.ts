import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { call, placeOrder, stockOf } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';

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
});
