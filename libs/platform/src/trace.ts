import {
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Spans through the OpenTelemetry API only: without the SDK (libs/telemetry, started by
 * `--import @orderflow/telemetry/register`) every call here is a cheap no-op. Looked up per
 * span, not kept: a tracer obtained once would stay bound to the first provider a test installs.
 */
const tracer = () => trace.getTracer('orderflow');

/** Attribute names of our own, beside OpenTelemetry's semantic conventions. */
export const attr = {
  orderId: 'orderflow.order_id',
  eventId: 'orderflow.event_id',
  subscriber: 'orderflow.subscriber',
  deliveryAttempt: 'orderflow.delivery_attempt',
  outcome: 'orderflow.outcome',
} as const;

/**
 * Runs `work` in a new child span of the active one, which ends with it; an error is recorded
 * on the span, which then reports an error status, and rethrown.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const span = tracer().startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

export function setSpanAttributes(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * The W3C trace context travels in the event as the CloudEvents distributed-tracing extension
 * (`ce-traceparent`). A fixed propagator, not the global one, so that the attribute is read and
 * written the same way whether or not the SDK is started.
 */
const w3c = new W3CTraceContextPropagator();

/** The `traceparent` of the active span (or of `ctx`), if there is one. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, {
    set: (c: Record<string, string>, key, value) => {
      c[key] = value;
    },
  });
  return carrier.traceparent;
}

const cloudEventGetter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[`ce-${key}`],
};

/** The context a message's `ce-traceparent` names, as a remote parent; the root context without one. */
export function contextFromAttributes(attributes: Record<string, string>): Context {
  return w3c.extract(ROOT_CONTEXT, attributes, cloudEventGetter);
}

/** The span context a `traceparent` names, e.g. to link to it; undefined when it is not one. */
export function spanContextOf(traceparent: string): SpanContext | undefined {
  const ctx = contextFromAttributes({ 'ce-traceparent': traceparent });
  return trace.getSpanContext(ctx);
}

/**
 * The fields that tie a log line to its trace and span in Cloud Logging:
 * https://cloud.google.com/logging/docs/structured-logging#structured_logging_special_fields
 */
export function traceLogFields(projectId: string, span: SpanContext | undefined) {
  if (!span || !trace.isSpanContextValid(span)) return {};
  return {
    'logging.googleapis.com/trace': `projects/${projectId}/traces/${span.traceId}`,
    'logging.googleapis.com/spanId': span.spanId,
    'logging.googleapis.com/trace_sampled': (span.traceFlags & TraceFlags.SAMPLED) !== 0,
  };
}
