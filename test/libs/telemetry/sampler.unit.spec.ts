import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { traceSampler } from '@orderflow/telemetry/sampler';

const kept = (ratio: number, traceId: string, parent: Context = ROOT_CONTEXT) =>
  traceSampler(ratio).shouldSample(parent, traceId, 'POST /orders', SpanKind.SERVER, {}, [])
    .decision === SamplingDecision.RECORD_AND_SAMPLED;

const withParent = (traceId: string, flags: TraceFlags, isRemote: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: flags,
    isRemote,
  });

// TraceIdRatioBasedSampler keeps a trace when the XOR of its id's four 32-bit words is low.
const low = '4bf92f3577b34da64bf92f3577b34da7'; // words XOR to 1
const high = '4bf92f3577b34da64bf92f35884cb258'; // words XOR to 0xfffffffe

describe('trace sampling', () => {
  it('keeps new traces by their id at the ratio', () => {
    expect([kept(0.1, low), kept(0.1, high), kept(1, high), kept(0, low)]).to.deep.equal([
      true,
      false,
      true,
      false,
    ]);
  });

  it("ignores a remote caller's sampled flag: a client cannot make every order traced", () => {
    expect(kept(0.1, high, withParent(high, TraceFlags.SAMPLED, true))).to.equal(false);
  });

  it("keeps a remote parent's trace that the ratio keeps, whatever its flag, as every service decides alike", () => {
    expect(kept(0.1, low, withParent(low, TraceFlags.NONE, true))).to.equal(true);
    expect(kept(0.1, low, withParent(low, TraceFlags.SAMPLED, true))).to.equal(kept(0.1, low));
  });

  it('follows a parent within the process', () => {
    expect(kept(0.1, high, withParent(high, TraceFlags.SAMPLED, false))).to.equal(true);
    expect(kept(1, low, withParent(low, TraceFlags.NONE, false))).to.equal(false);
  });
});
