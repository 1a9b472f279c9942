/**
 * W3C trace context, carried from the client's request into the event's
 * `ce-traceparent` attribute and from there into every subscriber's logs.
 */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const cloudTracePattern = /^([0-9a-f]{32})\/(\d+)/;

export interface TraceContext {
  traceId: string;
  traceparent: string;
}

export function traceFromHeaders(headers: {
  traceparent?: string | undefined;
  cloudTrace?: string | undefined;
}): TraceContext | undefined {
  if (headers.traceparent && traceparentPattern.test(headers.traceparent)) {
    return { traceId: headers.traceparent.slice(3, 35), traceparent: headers.traceparent };
  }
  const cloud = headers.cloudTrace?.match(cloudTracePattern);
  if (cloud?.[1] && cloud[2]) {
    const spanId = BigInt(cloud[2]).toString(16).padStart(16, '0').slice(-16);
    return { traceId: cloud[1], traceparent: `00-${cloud[1]}-${spanId}-01` };
  }
  return undefined;
}

/** The log fields that tie a line to its trace in Cloud Logging. */
export function traceLogFields(projectId: string, trace: TraceContext | undefined) {
  return trace
    ? { 'logging.googleapis.com/trace': `projects/${projectId}/traces/${trace.traceId}` }
    : {};
}
