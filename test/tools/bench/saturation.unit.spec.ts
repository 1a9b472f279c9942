import { expect } from 'chai';
import {
  judge,
  saturationRatio,
  type SaturationOutcome,
  type SaturationStep,
} from '@orderflow/tools/bench/saturation';
import { saturationChart } from '@orderflow/tools/bench/saturation-chart';
import { keyFigureLines, saturationTable } from '@orderflow/tools/bench/table';

const latency = (p99: number) => ({ count: 100, p50: p99 / 4, p95: p99 / 2, p99, max: p99 * 2 });

function aStep(offeredRate: number, passed: boolean, p99 = 200): SaturationStep {
  const requests = offeredRate * 10;
  return {
    offeredRate,
    requests,
    successes: passed ? requests : requests - 3,
    failures: passed ? {} : { timeout: 3 },
    throughput: passed ? offeredRate : offeredRate - 0.3,
    latencyMs: latency(p99),
    passed,
    ...(passed ? {} : { reason: '3 failed (3 × timeout)' }),
  };
}

const outcome: SaturationOutcome = {
  api: {
    side: 'api',
    rate: 45,
    failedRate: 50,
    steps: [aStep(20, true), aStep(45, true), aStep(68, false, 3000), aStep(50, false, 1200)],
  },
  floor: {
    side: 'floor',
    rate: 50,
    failedRate: 55,
    steps: [aStep(20, true), aStep(50, true), aStep(55, false)],
  },
};

describe('bench saturation', () => {
  it('passes a step only with every answer 2xx and p99 under the limit', () => {
    const base = { requests: 100, successes: 100, failures: {} };
    expect(judge({ ...base, latencyMs: latency(999) }, 1000)).to.deep.equal({ passed: true });
    expect(judge({ ...base, latencyMs: latency(1000) }, 1000)).to.deep.equal({
      passed: false,
      reason: 'p99 1000 ms ≥ 1000 ms',
    });
    expect(
      judge(
        {
          requests: 100,
          successes: 97,
          failures: { '503': 2, timeout: 1 },
          latencyMs: latency(10),
        },
        1000,
      ),
    ).to.deep.equal({ passed: false, reason: '3 failed (2 × 503, 1 × timeout)' });
    expect(judge({ ...base, latencyMs: undefined }, 1000).passed).to.equal(false);
  });

  it('divides the API rate by the floor rate, target at least 90 %', () => {
    expect(saturationRatio(outcome)).to.deep.equal({
      value: 0.9,
      target: 0.9,
      met: true,
      apiRate: 45,
      floorRate: 50,
      bounded: true,
    });
    const lower = { ...outcome, api: { ...outcome.api, rate: 40 } };
    expect(saturationRatio(lower)?.met).to.equal(false);
    const unbounded = { ...outcome, floor: { ...outcome.floor, failedRate: undefined } };
    expect(saturationRatio(unbounded)?.bounded).to.equal(false);
    expect(saturationRatio({ ...outcome, api: { ...outcome.api, rate: undefined } })).to.equal(
      undefined,
    );
  });

  it('prints every step with its verdict, and the ratio as a key line', () => {
    const table = saturationTable(outcome);
    expect(table).to.match(/api\s+68\/s.*failed: 3 failed \(3 × timeout\)/);
    expect(table.split('\n').filter((l) => /^(api|floor) +\d/.test(l))).to.have.length(7);
    expect(table).to.contain('order API (POST /orders): 45 orders/s passed, 50/s failed');
    const ratio = saturationRatio(outcome);
    expect(
      keyFigureLines({ requestResponse: [], ...(ratio && { saturationRatio: ratio }) }),
    ).to.deep.equal([
      'saturation: order API 45 orders/s / floor 50 orders/s = 90% (target ≥ 90%: met)',
    ]);
  });

  it('charts both sides, each step a point, as a standalone SVG', async () => {
    const svg = await saturationChart(outcome, 'quick run <test>');
    expect(svg).to.match(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.contain('API/floor 90 %');
    expect(svg).to.contain('quick run &lt;test&gt;');
    // Seven steps, each a point in both panels.
    expect(svg.match(/role="graphics-symbol"[^>]*aria-roledescription="point"/g)).to.have.length(
      14,
    );
  });
});
