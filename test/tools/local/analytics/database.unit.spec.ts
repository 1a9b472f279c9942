import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { toMessage, type CloudEvent } from '@orderflow/events';
import { topology } from '@orderflow/topology';
import { AnalyticsDatabase } from '@orderflow/tools/local/analytics/database';
import { anOrderLine, anOrderPlacedEvent, aSegmentChangedEvent } from '../../../support/events.js';

/** The message a BigQuery subscription would receive for `event`. */
function aMessage(event: CloudEvent, overrides: { data?: string; publishTime?: Date } = {}) {
  const { data, attributes } = toMessage(event);
  return {
    subscription: 'order-placed.v1.analytics',
    messageId: randomUUID(),
    publishTime: overrides.publishTime ?? new Date('2025-03-01T10:00:01.000Z'),
    attributes,
    data: overrides.data ?? data,
  };
}

describe('the local analytics database (DuckDB)', () => {
  let db: AnalyticsDatabase;

  beforeEach(async () => {
    db = await AnalyticsDatabase.open(':memory:', topology);
  });
  afterEach(() => {
    db.close();
  });

  it('shows an order.placed in orders with snake_case columns, its lines, and no e-mail', async () => {
    const event = anOrderPlacedEvent({
      data: {
        customer: { id: 'customer-ada', email: 'ada@example.com' },
        lines: [anOrderLine({ quantity: 2 }), anOrderLine({ productId: 'product-bowl' })],
      },
    });
    await db.write('order-placed.v1', aMessage(event));

    expect(await db.query('SELECT * FROM orders')).to.deep.equal([
      {
        event_id: event.id,
        order_id: event.data.orderId,
        customer_id: 'customer-ada',
        lines: event.data.lines.map((l) => ({
          product_id: l.productId,
          seller_id: l.sellerId,
          name: l.name,
          quantity: l.quantity,
          unit_price_cents: l.unitPriceCents,
          line_total_cents: l.lineTotalCents,
        })),
        total_cents: event.data.totalCents,
        currency: 'EUR',
        placed_at: '2025-03-01T10:00:00.000Z',
        published_at: '2025-03-01T10:00:01.000Z',
      },
    ]);
    const lines = await db.query(
      'SELECT order_id, product_id, quantity FROM order_lines ORDER BY product_id',
    );
    expect(lines).to.deep.equal([
      { order_id: event.data.orderId, product_id: 'product-bowl', quantity: 1 },
      { order_id: event.data.orderId, product_id: 'product-mug', quantity: 2 },
    ]);
    const raw = JSON.stringify(await db.query('SELECT * FROM order_placed_v1'));
    expect(raw).to.not.contain('ada@example.com');
  });

  it('shows each event once, the first published, however often it was delivered', async () => {
    const event = anOrderPlacedEvent();
    await db.write(
      'order-placed.v1',
      aMessage(event, { publishTime: new Date('2025-03-01T10:00:05Z') }),
    );
    await db.write(
      'order-placed.v1',
      aMessage(event, { publishTime: new Date('2025-03-01T10:00:02Z') }),
    );

    expect(await db.query('SELECT count(*) AS n FROM order_placed_v1')).to.deep.equal([{ n: 2 }]);
    expect(await db.query('SELECT event_id, published_at FROM orders')).to.deep.equal([
      { event_id: event.id, published_at: '2025-03-01T10:00:02.000Z' },
    ]);
  });

  it('shows segment changes with their labels, without the customer e-mail', async () => {
    const event = aSegmentChangedEvent({
      segment: 'loyal',
      previousSegment: 'returning',
      orderCount: 3,
    });
    await db.write('customer-segment-changed.v1', aMessage(event));

    expect(await db.query('SELECT * FROM segment_changes')).to.deep.equal([
      {
        event_id: event.id,
        customer_id: 'customer-ada',
        segment: 'loyal',
        previous_segment: 'returning',
        order_count: 3,
        order_id: event.data.orderId,
        changed_at: '2025-03-01T10:00:00.000Z',
        published_at: '2025-03-01T10:00:01.000Z',
      },
    ]);
  });

  it('refuses data that does not fit the table, and writes nothing', async () => {
    const event = anOrderPlacedEvent();
    const data = JSON.stringify({ ...event.data, totalCents: 'lots' });

    let refused: unknown;
    await db
      .write('order-placed.v1', aMessage(event, { data }))
      .catch((e: unknown) => (refused = e));

    expect(refused).to.be.instanceOf(Error);
    expect(await db.query('SELECT count(*) AS n FROM order_placed_v1')).to.deep.equal([{ n: 0 }]);
  });

  it('keeps a dead letter as it was', async () => {
    const event = anOrderPlacedEvent();
    await db.writeDeadLetter(aMessage(event, { data: 'not json' }));

    expect(
      await db.query('SELECT data, json_value(attributes, \'$."ce-id"\') AS id FROM dead_letters'),
    ).to.have.length(1);
  });
});
