import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { toMessage, type CloudEvent } from '@orderflow/events';
import { topology } from '@orderflow/topology';
import { AnalyticsDatabase } from '@orderflow/tools/local/analytics/database';
import { repoRoot } from '@orderflow/tools/local/system';
import { anOrderLine, anOrderPlacedEvent, aSegmentChangedEvent } from '../../../support/events.js';

/** The SQL of docs/analytics.md under each `###` heading: the test runs what the page shows. */
function documentedQueries(): Map<string, string> {
  const page = readFileSync(join(repoRoot, 'docs/analytics.md'), 'utf8');
  const queries = new Map<string, string>();
  for (const [, title, sql] of page.matchAll(/^### (.+)\n[\s\S]*?```sql\n([\s\S]*?)```/gm)) {
    queries.set(title!, sql!);
  }
  return queries;
}

const write = (db: AnalyticsDatabase, topic: string, event: CloudEvent) => {
  const { data, attributes } = toMessage(event);
  return db.write(topic, {
    subscription: `${topic}.analytics`,
    messageId: randomUUID(),
    publishTime: new Date(event.time),
    attributes,
    data,
  });
};

describe('docs/analytics.md: its queries, on the local tables', () => {
  const queries = documentedQueries();
  let db: AnalyticsDatabase;
  const run = (title: string) => {
    const sql = queries.get(title);
    if (!sql) throw new Error(`docs/analytics.md has no query under "### ${title}"`);
    return db.query(sql);
  };

  before(async () => {
    db = await AnalyticsDatabase.open(':memory:', topology);
    const order = (customerId: string, placedAt: string, lines = [anOrderLine()]) =>
      write(
        db,
        'order-placed.v1',
        anOrderPlacedEvent({
          data: { customer: { id: customerId, email: 'a@example.com' }, placedAt, lines },
        }),
      );
    await order('ada', '2025-03-01T10:00:00.000Z', [
      anOrderLine({ sellerId: 'pottery', quantity: 2, unitPriceCents: 1000 }),
      anOrderLine({ sellerId: 'forge', productId: 'knife', unitPriceCents: 5000 }),
    ]);
    await order('ada', '2025-03-01T16:00:00.000Z', [
      anOrderLine({ sellerId: 'pottery', unitPriceCents: 700 }),
    ]);
    await order('ada', '2025-03-02T09:00:00.000Z', [
      anOrderLine({ sellerId: 'pottery', unitPriceCents: 300 }),
    ]);
    await order('bob', '2025-03-01T12:00:00.000Z', [
      anOrderLine({ sellerId: 'forge', unitPriceCents: 9000 }),
    ]);
    await order('bob', '2025-03-03T12:00:00.000Z', [
      anOrderLine({ sellerId: 'forge', unitPriceCents: 100 }),
    ]);
    await order('cy', '2025-03-02T08:00:00.000Z');
    const change = (
      customerId: string,
      orderCount: number,
      segment: 'new' | 'returning' | 'loyal',
    ) =>
      write(
        db,
        'customer-segment-changed.v1',
        aSegmentChangedEvent({ customerId, orderCount, segment }),
      );
    await change('ada', 1, 'new');
    await change('ada', 2, 'returning');
    await change('ada', 3, 'loyal');
    await change('bob', 1, 'new');
    await change('bob', 2, 'returning');
    await change('cy', 1, 'new');
  });
  after(() => {
    db.close();
  });

  it('counts customers per segment, each in the last label reached', async () => {
    expect(await run('Customers per segment')).to.deep.equal([
      { segment: 'loyal', customers: 1 },
      { segment: 'new', customers: 1 },
      { segment: 'returning', customers: 1 },
    ]);
  });

  it('sums revenue per seller per day, in each currency', async () => {
    expect(await run('Revenue per seller per day')).to.deep.equal([
      { seller_id: 'forge', day: '2025-03-01', currency: 'EUR', revenue_cents: 14_000, orders: 2 },
      { seller_id: 'pottery', day: '2025-03-01', currency: 'EUR', revenue_cents: 2_700, orders: 2 },
      { seller_id: 'pottery', day: '2025-03-02', currency: 'EUR', revenue_cents: 300, orders: 1 },
      {
        seller_id: 'seller-pottery',
        day: '2025-03-02',
        currency: 'EUR',
        revenue_cents: 1_250,
        orders: 1,
      },
      { seller_id: 'forge', day: '2025-03-03', currency: 'EUR', revenue_cents: 100, orders: 1 },
    ]);
  });

  it("gives the hours from a customer's first order to the second", async () => {
    expect(await run('Time from first to second order')).to.deep.equal([
      { customer_id: 'ada', hours_to_second_order: 6 },
      { customer_id: 'bob', hours_to_second_order: 48 },
    ]);
  });
});
