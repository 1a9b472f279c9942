import { expect } from 'chai';
import {
  waterfall,
  waterfallRows,
  type SpanRecord,
  type Trace,
} from '@orderflow/tools/shared/traces';

function aSpan(overrides: Partial<SpanRecord> & Pick<SpanRecord, 'spanId' | 'name'>): SpanRecord {
  return {
    traceId: 'trace-1',
    parentSpanId: undefined,
    service: 'order',
    kind: 'internal',
    startTime: '2026-12-01T10:00:00.000Z',
    durationMs: 10,
    status: 'unset',
    attributes: {},
    links: [],
    ...overrides,
  };
}

/** POST /orders, its transaction, and a delivery whose parent was never exported. */
const trace: Trace = {
  traceId: 'trace-1',
  spans: [
    aSpan({ spanId: 'a', name: 'POST /orders', durationMs: 40 }),
    aSpan({
      spanId: 'b',
      parentSpanId: 'a',
      name: 'order transaction',
      startTime: '2026-12-01T10:00:00.005Z',
    }),
    aSpan({
      spanId: 'c',
      parentSpanId: 'missing',
      service: 'seller',
      name: 'process order-placed.v1.seller',
      startTime: '2026-12-01T10:00:00.050Z',
      status: 'error',
      statusMessage: 'webhook answered 500',
    }),
    aSpan({
      spanId: 'd',
      parentSpanId: 'c',
      service: 'seller',
      name: 'webhook POST',
      startTime: '2026-12-01T10:00:00.051Z',
    }),
  ],
};

describe('traces: the waterfall', () => {
  it('puts each span under its parent, a span whose parent is missing at the top, with its offset', () => {
    const rows = waterfallRows(trace).map((r) => [r.span.spanId, r.depth, r.offsetMs]);
    expect(rows).to.deep.equal([
      ['a', 0, 0],
      ['b', 1, 5],
      ['c', 0, 50],
      ['d', 1, 51],
    ]);
  });

  it('prints service, indented span, start, duration and status, an error with its message', () => {
    expect(waterfall(trace).split('\n')).to.deep.equal([
      'SERVICE  SPAN                            START   DURATION  STATUS',
      'order    POST /orders                    +0 ms   40.0 ms   unset',
      'order      order transaction             +5 ms   10.0 ms   unset',
      'seller   process order-placed.v1.seller  +50 ms  10.0 ms   ERROR webhook answered 500',
      'seller     webhook POST                  +51 ms  10.0 ms   unset',
    ]);
  });
});
