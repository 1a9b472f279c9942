import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { orderTrace, readSpans, type Trace } from '@orderflow/tools/shared/traces';
import { localSystem, testConfig, testLogPath } from './fixture.js';
import { anOrderOfEach } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { eventOf } from './support/observe.js';

const effectSpans = ['smtp send', 'webhook POST', 'segment write'];

describe('one order, one trace', () => {
  it('holds the spans of all four services under a single root', async () => {
    const catalog = await aCatalog({
      sellers: [{}, { webhook: false }],
      products: [
        { seller: 0, priceCents: 500, stock: 5 },
        { seller: 1, priceCents: 700, stock: 5 },
      ],
    });
    const orderId = await anOrderOfEach(catalog);

    // Every subscriber's delivery span ends after its effect: once all three are in, all is.
    const trace: Trace = await eventually(
      async () => {
        const found = orderTrace(await readSpans(localSystem().traceFile), orderId);
        const names = found?.spans.map((s) => s.name) ?? [];
        for (const subscriber of ['notification', 'seller', 'segmentation']) {
          expect(names).to.include(`process order-placed.v1.${subscriber}`);
        }
        return found!;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    const services = new Set(trace.spans.map((s) => s.service));
    expect([...services]).to.have.members(['order', 'notification', 'seller', 'segmentation']);
    const names = trace.spans.map((s) => s.name);
    expect(names).to.include.members(['order transaction', 'send order-placed.v1', ...effectSpans]);
    // Express's route span, from its instrumentation applied by hand (libs/telemetry/src/instrument.ts).
    expect(trace.spans.filter((s) => s.service === 'order').map((s) => s.name)).to.include(
      'request handler',
    );

    // Firestore's client traces its own calls unless told not to (libs/telemetry/src/sdk.ts).
    expect(names).not.to.include.oneOf(['Transaction.Run', 'Transaction.Commit']);

    const roots = trace.spans.filter((s) => !s.parentSpanId);
    expect(roots.map((r) => [r.service, r.kind])).to.deep.equal([['order', 'server']]);
    const ids = new Set(trace.spans.map((s) => s.spanId));
    const orphans = trace.spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
    expect(orphans.map((s) => s.name)).to.deep.equal([]);

    const deliveries = trace.spans.filter((s) => s.name.startsWith('process '));
    for (const delivery of deliveries) {
      expect(delivery.attributes).to.include({
        'orderflow.order_id': orderId,
        'orderflow.delivery_attempt': 1,
        'orderflow.outcome': 'done',
      });
      expect(delivery.attributes['orderflow.event_id']).to.be.a('string');
    }

    // Each subscriber's log line about the delivery names the same trace and its own span (the
    // events the order causes downstream, such as a segment change, are handled in it too).
    const { event } = await eventOf(orderId);
    const handled = (await readFile(testLogPath, 'utf8'))
      .split('\n')
      .filter((line) => line.includes(`"eventId":"${event.id}"`) && line.includes('"handled"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
    expect(handled).to.have.length(3);
    for (const line of handled) {
      expect(line['logging.googleapis.com/trace']).to.equal(
        `projects/${testConfig.GOOGLE_CLOUD_PROJECT}/traces/${trace.traceId}`,
      );
      expect(ids.has(line['logging.googleapis.com/spanId'] as string)).to.equal(true);
      expect(line['logging.googleapis.com/trace_sampled']).to.equal(true);
    }

    const cli = await npmRun('trace', [orderId, '--json', '--file', localSystem().traceFile]);
    const printed = JSON.parse(cli.stdout) as { traceId: string; spans: { spanId: string }[] };
    expect(printed.traceId).to.equal(trace.traceId);
    // The trace may have grown meanwhile: a customer who became a VIP gets a segment-changed
    // event, a child of this order's trace. The CLI prints what the file held when it read it.
    const grown = orderTrace(await readSpans(localSystem().traceFile), orderId);
    const printedIds = printed.spans.map((s) => s.spanId);
    expect(printedIds).to.include.members([...ids]);
    expect(grown?.spans.map((s) => s.spanId)).to.include.members(printedIds);
  });
});
