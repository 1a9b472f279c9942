import { INVALID_SPAN_CONTEXT, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { expect } from 'chai';
import {
  contextFromAttributes,
  createLogger,
  spanContextOf,
  traceLogFields,
  traceparentOf,
  withSpan,
} from '@orderflow/platform';
import { recordTelemetry } from '../../support/tracing.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';
const traceparent = `00-${traceId}-${spanId}-01`;

describe('trace context in events', () => {
  it('reads a ce-traceparent as a remote parent, and writes it back the same', () => {
    const ctx = contextFromAttributes({ 'ce-traceparent': traceparent });
    expect(trace.getSpanContext(ctx)).to.include({ traceId, spanId, isRemote: true });
    expect(traceparentOf(ctx)).to.equal(traceparent);
  });

  for (const [name, value] of [
    ['a malformed traceparent', 'garbage'],
    ['another version', `ff-${traceId}-${spanId}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
  ] as const) {
    it(`ignores ${name}`, () => {
      expect(spanContextOf(value)).to.equal(undefined);
    });
  }

  it('has no traceparent outside any span', () => {
    expect(traceparentOf()).to.equal(undefined);
  });
});

describe('traceLogFields', () => {
  it('names the trace, the span and the sampling decision the way Cloud Logging links them', () => {
    const span = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
    expect(traceLogFields('demo', span)).to.deep.equal({
      'logging.googleapis.com/trace': `projects/demo/traces/${traceId}`,
      'logging.googleapis.com/spanId': spanId,
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it('adds nothing without a valid span', () => {
    expect(traceLogFields('demo', undefined)).to.deep.equal({});
    expect(traceLogFields('demo', INVALID_SPAN_CONTEXT)).to.deep.equal({});
  });
});

describe('spans', () => {
  const telemetry = recordTelemetry();

  it('end with their work, a child of the active span, and the logger names the active one', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      {},
      {
        projectId: 'demo',
        write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      },
    );
    await withSpan('outer', {}, () =>
      withSpan('inner', {}, async () => {
        logger.info('inside');
        return Promise.resolve();
      }),
    );
    logger.info('outside');
    const outer = telemetry.span('outer');
    const inner = telemetry.span('inner');
    expect(inner.parentSpanContext?.spanId).to.equal(outer.spanContext().spanId);
    expect(lines[0]).to.include({
      'logging.googleapis.com/trace': `projects/demo/traces/${inner.spanContext().traceId}`,
      'logging.googleapis.com/spanId': inner.spanContext().spanId,
    });
    expect(lines[1]).not.to.have.property('logging.googleapis.com/trace');
  });

  it('record a failure as an error status and rethrow it', async () => {
    const thrown = await withSpan('failing', {}, () => Promise.reject(new Error('SMTP down'))).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).to.be.instanceOf(Error).with.property('message', 'SMTP down');
    const span = telemetry.span('failing');
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'SMTP down' });
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });
});
