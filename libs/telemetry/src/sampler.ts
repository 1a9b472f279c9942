import {
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

/**
 * Keeps `ratio` of traces, decided by the trace id alone wherever the parent is remote: Cloud
 * Run puts a `traceparent` on every request, sampled for at most one request in ten seconds per
 * instance, and any client may send one marked sampled. Following those flags would leave
 * `TRACE_SAMPLE_RATIO` unused and let a caller make every order billed. Decided on the trace id,
 * every service reaches the same decision for one order, so a kept trace is whole: the order
 * service's spans, and each subscriber's continuing it from the event. Spans within a process
 * follow their parent.
 */
export function traceSampler(ratio: number): Sampler {
  const byTraceId = new TraceIdRatioBasedSampler(ratio);
  return new ParentBasedSampler({
    root: byTraceId,
    remoteParentSampled: byTraceId,
    remoteParentNotSampled: byTraceId,
  });
}
