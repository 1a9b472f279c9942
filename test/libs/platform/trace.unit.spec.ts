import { expect } from 'chai';
import { traceFromHeaders, traceLogFields } from '@orderflow/platform';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

describe('traceFromHeaders', () => {
  const cases: {
    name: string;
    headers: { traceparent?: string; cloudTrace?: string };
    expected: { traceId: string; traceparent: string } | undefined;
  }[] = [
    { name: 'a W3C traceparent', headers: { traceparent }, expected: { traceId, traceparent } },
    {
      name: 'traceparent before X-Cloud-Trace-Context',
      headers: { traceparent, cloudTrace: `${'a'.repeat(32)}/1;o=1` },
      expected: { traceId, traceparent },
    },
    {
      name: 'X-Cloud-Trace-Context, its decimal span id turned into hex',
      headers: { cloudTrace: `${traceId}/255;o=1` },
      expected: { traceId, traceparent: `00-${traceId}-00000000000000ff-01` },
    },
    {
      name: 'X-Cloud-Trace-Context when the traceparent is malformed',
      headers: { traceparent: 'garbage', cloudTrace: `${traceId}/1` },
      expected: { traceId, traceparent: `00-${traceId}-0000000000000001-01` },
    },
    {
      name: 'an upper-case traceparent',
      headers: { traceparent: traceparent.toUpperCase() },
      expected: undefined,
    },
    {
      name: 'another traceparent version',
      headers: { traceparent: `01-${traceId}-00f067aa0ba902b7-01` },
      expected: undefined,
    },
    {
      name: 'a short trace id',
      headers: { traceparent: `00-${traceId.slice(1)}-00f067aa0ba902b7-01` },
      expected: undefined,
    },
    { name: 'a cloud trace without span', headers: { cloudTrace: traceId }, expected: undefined },
    { name: 'a request without trace headers', headers: {}, expected: undefined },
  ];
  for (const { name, headers, expected } of cases) {
    it(`${expected ? 'reads' : 'ignores'} ${name}`, () => {
      expect(traceFromHeaders(headers)).to.deep.equal(expected);
    });
  }
});

describe('traceLogFields', () => {
  it('names the trace the way Cloud Logging links it', () => {
    expect(traceLogFields('demo', { traceId, traceparent })).to.deep.equal({
      'logging.googleapis.com/trace': `projects/demo/traces/${traceId}`,
    });
  });

  it('adds nothing without a trace', () => {
    expect(traceLogFields('demo', undefined)).to.deep.equal({});
  });
});
