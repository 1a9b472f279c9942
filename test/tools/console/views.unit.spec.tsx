/** @jsxRuntime automatic @jsxImportSource preact */
import { expect } from 'chai';
import { html } from '@orderflow/tools/console/render';
import { OrdersList } from '@orderflow/tools/console/views/flow';
import { DeadLetters, Outbox } from '@orderflow/tools/console/views/panels';
import { Waterfall } from '@orderflow/tools/console/views/trace';
import { aDeadLetter, anOrderView } from './fakes.js';

const subscribers = ['notification', 'seller', 'segmentation'];

describe('console views', () => {
  it('draws each subscriber as a node in its state, one without a record as pending', () => {
    const out = html(
      <OrdersList views={[anOrderView()]} subscribers={subscribers} search={undefined} />,
    );
    expect(out).to.contain('aria-label="notification: done"');
    expect(out).to.contain('aria-label="seller: retrying"');
    expect(out).to.contain('3 attempts').and.to.contain('webhook answered 500');
    expect(out).to.contain('aria-label="segmentation: pending"');
    expect(out).to.contain('€189.00');
  });

  it('escapes what it shows', () => {
    const view = anOrderView({
      customer: { id: '<img src=x onerror=alert(1)>', email: 'a@b.test' },
    });
    const out = html(<OrdersList views={[view]} subscribers={subscribers} search={undefined} />);
    expect(out).to.not.contain('<img');
    expect(out).to.contain('&lt;img');
  });

  it('says when a search finds nothing', () => {
    const out = html(<OrdersList views={[]} subscribers={subscribers} search="customer-9" />);
    expect(out).to.contain('No order or customer customer-9.');
  });

  it('lists dead letters per subscriber with their reason and a Replay for one and for all', () => {
    const letter = aDeadLetter({ part: 'seller:acme' });
    const out = html(<DeadLetters letters={[letter]} subscribers={subscribers} />);
    expect(out).to.contain('aria-label="dead letter event-1"');
    expect(out).to.contain('webhook answered 500').and.to.contain('seller:acme');
    expect(out).to.contain('Replay all 1 of seller');
    expect(out).to.contain('hx-confirm="Replay event-1 (order order-1) to seller?');
    expect(out).to.contain('name="key" value="event-1"');
    expect(out.match(/None\./g)).to.have.length(2);
  });

  it('shows the outbox’s stuck entries and those set aside, with their reason', () => {
    const out = html(
      <Outbox
        report={{
          pending: 3,
          published: 10,
          stuck: [
            {
              eventId: 'event-7',
              orderId: 'order-7',
              createdAt: new Date('2026-12-01T10:00:00Z'),
              ageSeconds: 95,
            },
          ],
          setAside: 1,
          latestSetAside: [
            {
              eventId: 'event-8',
              orderId: 'order-8',
              reason: 'not a valid order.placed.v1 event',
              setAsideAt: new Date('2026-12-01T10:01:00Z'),
            },
          ],
        }}
      />,
    );
    expect(out).to.contain('aria-label="stuck outbox entries"').and.to.contain('95 s');
    expect(out).to.contain('aria-label="outbox entries set aside"');
    expect(out).to.contain('order-8').and.to.contain('not a valid order.placed.v1 event');
  });

  it('draws the trace as a waterfall: bars on one time scale, indented under their parents, errors red', () => {
    const span = (spanId: string, parentSpanId: string | undefined, startMs: number) => ({
      traceId: 't',
      spanId,
      parentSpanId,
      service: spanId === 'root' ? 'order' : 'seller',
      name: `span ${spanId}`,
      kind: 'internal',
      startTime: new Date(Date.UTC(2026, 11, 1, 10) + startMs).toISOString(),
      durationMs: 50,
      status: spanId === 'child' ? ('error' as const) : ('ok' as const),
      statusMessage: spanId === 'child' ? 'webhook answered 500' : undefined,
      attributes: {},
      links: [],
    });
    const out = html(
      <Waterfall
        trace={{ traceId: 't', spans: [span('root', undefined, 0), span('child', 'root', 150)] }}
      />,
    );
    expect(out).to.contain('2 spans').and.to.contain('200 ms');
    expect(out).to.contain('aria-label="span span child"');
    expect(out).to.contain('<rect x="0.00" y="1" width="25.00"');
    expect(out).to.contain('<rect x="75.00" y="1" width="25.00"');
    expect(out).to.contain('padding-left:1.3em').and.to.contain('ERROR webhook answered 500');
    expect(out).to.contain('status-error');
    expect(html(<Waterfall trace={undefined} />)).to.contain('No spans of this order');
  });
});
