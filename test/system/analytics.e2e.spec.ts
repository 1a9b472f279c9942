import { expect } from 'chai';
import { runQuery } from '@orderflow/tools/shared/analytics-query';
import { localSystem } from './fixture.js';
import { placeOrder } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';

describe('analytics, end to end', () => {
  it("finds a customer's three orders in orders and new → returning → loyal in segment_changes, through npm run analytics", async () => {
    const catalog = await aCatalog({ products: [{ priceCents: 1_000, stock: 10 }] });
    const productId = catalog.products[0]!.id;
    const customer = await aCustomer();
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await placeOrder(customer.token, [{ productId, quantity: 1 }]);
      expect(res.status).to.equal(201);
      placed.push((res.body as { id: string }).id);
    }
    const changesSql = `SELECT previous_segment, segment, order_count FROM segment_changes WHERE customer_id = '${customer.id}' ORDER BY order_count`;
    const ordersSql = `SELECT order_id, total_cents, currency FROM orders WHERE customer_id = '${customer.id}'`;
    const local = { kind: 'local', url: localSystem().analyticsUrl } as const;
    // Polled over the local query API, each table fed from its own topic, so neither waits for
    // the other; the answers are then read as an analyst reads them.
    await eventually(async () => {
      expect(await runQuery(local, changesSql)).to.have.length(3);
      expect(await runQuery(local, ordersSql)).to.have.length(3);
    });

    const orders = await npmRun('analytics', ['query', ordersSql, '--json']);
    expect(orders.code, orders.stderr).to.equal(0);
    const { rows } = JSON.parse(orders.stdout) as { rows: { order_id: string }[] };
    expect(rows.map((r) => r.order_id)).to.have.members(placed);
    expect(rows[0]).to.include({ total_cents: 1_000, currency: 'EUR' });

    const changes = await npmRun('analytics', ['query', changesSql, '--json']);
    expect(changes.code, changes.stderr).to.equal(0);
    expect(JSON.parse(changes.stdout)).to.deep.equal({
      rows: [
        { previous_segment: null, segment: 'new', order_count: 1 },
        { previous_segment: 'new', segment: 'returning', order_count: 2 },
        { previous_segment: 'returning', segment: 'loyal', order_count: 3 },
      ],
    });
  });

  it('answers SQL the database refuses with its error and exit code 1', async () => {
    const result = await npmRun('analytics', ['query', 'SELECT nothing FROM nowhere']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/nowhere/);
  });
});
