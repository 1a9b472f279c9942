import { expect } from 'chai';
import { keyFigures } from '@orderflow/tools/bench/results';
import { aRun } from './support.js';

describe('bench key figures', () => {
  const effects = {
    orders: 1200,
    done: 1200,
    deadLettered: 0,
    unfinished: 0,
    completionMs: undefined,
    lastDoneAt: 0,
  };
  const backlog = {
    peakOrders: 300,
    peakAtSeconds: 29,
    drainSeconds: 40,
    lost: 0,
    endToEndRate: 17.1,
  };
  const results = [
    aRun({ architecture: 'floor', step: 'transaction+publish', p50: 40 }),
    aRun({ p50: 50 }),
    aRun({ scenario: 'seller-slow', p50: 54 }),
    aRun({ scenario: 'seller-failing', p50: 50 }),
    aRun({ scenario: 'burst', effects, backlog }),
    aRun({ architecture: 'rr-sequential', p50: 150 }),
    aRun({
      architecture: 'rr-parallel',
      scenario: 'seller-failing',
      successes: 0,
      throughput: 0,
      p50: 75,
    }),
  ];

  it('compares event-driven with the floor, the slow seller and the failing one', () => {
    const figures = keyFigures(results);
    expect(figures.floorRatio).to.deep.include({ value: 1.25, met: true, floorP50: 40 });
    expect(figures.sellerSlowChange).to.deep.include({ value: 0.08, met: true, slowP50: 54 });
    expect(figures.sellerFailingSuccessRate).to.deep.include({ value: 1, met: true });
    expect(figures.burstLost).to.deep.include({ value: 0, met: true, committed: 1200 });
  });

  it('says when a target is missed', () => {
    const figures = keyFigures([
      aRun({ architecture: 'floor', step: 'transaction+publish', p50: 40 }),
      aRun({ p50: 80 }),
      aRun({ scenario: 'seller-failing', successes: 239 }),
      aRun({ scenario: 'burst', effects, backlog: { ...backlog, lost: 3 } }),
    ]);
    expect(figures.floorRatio).to.deep.include({ value: 2, met: false });
    expect(figures.sellerFailingSuccessRate).to.deep.include({ met: false });
    expect(figures.burstLost).to.deep.include({ value: 3, met: false });
    expect(figures.sellerSlowChange).to.equal(undefined);
  });

  it('takes the latency targets from the paired rounds when there are some: the median round', () => {
    const round = (n: number, floor: number, healthy: number, slow: number) => [
      aRun({ architecture: 'floor', step: 'transaction+publish', p50: floor, round: n }),
      aRun({ p50: healthy, round: n }),
      aRun({ scenario: 'seller-slow', p50: slow, round: n }),
    ];
    const figures = keyFigures([
      ...results,
      ...round(1, 20, 30, 33),
      ...round(2, 20, 22, 22),
      ...round(3, 25, 45, 30),
    ]);

    expect(figures.floorRatio).to.deep.equal({
      value: 1.5,
      target: 1.3,
      met: false,
      eventDrivenP50: 30,
      floorP50: 20,
      rounds: [1.5, 1.1, 1.8],
    });
    expect(figures.sellerSlowChange).to.deep.include({
      value: 0,
      met: true,
      rounds: [0.1, 0, -0.333],
    });
    // The main runs still give the other figures and the request-response comparison.
    expect(figures.burstLost).to.deep.include({ committed: 1200 });
    expect(figures.requestResponse[0]).to.deep.include({ p50OverEventDriven: 3 });
  });

  it('sets every request-response run against event-driven in the same scenario', () => {
    expect(keyFigures(results).requestResponse).to.deep.equal([
      {
        architecture: 'rr-sequential',
        scenario: 'healthy',
        p50: 150,
        p50OverEventDriven: 3,
        successRate: 1,
        throughput: 8,
      },
      {
        architecture: 'rr-parallel',
        scenario: 'seller-failing',
        p50: 75,
        p50OverEventDriven: 1.5,
        successRate: 0,
        throughput: 0,
      },
    ]);
  });

  describe('the tracing comparison', () => {
    const round = (n: number, on: number, off: number) => [
      aRun({ tracing: 'on', round: n, p50: on }),
      aRun({ tracing: 'off', round: n, p50: off }),
    ];

    it("takes the median round's difference of traced and untraced p50, met within 1 ms", () => {
      const figures = keyFigures([
        ...round(1, 26, 25),
        ...round(2, 30, 25.5),
        ...round(3, 25.2, 25),
      ]);
      expect(figures.tracingOverhead).to.deep.equal({
        value: 1,
        target: 1,
        met: true,
        tracedP50: 26,
        untracedP50: 25,
        ratio: 1.04,
        pooled: false,
        rounds: [1, 4.5, 0.2],
      });
    });

    it("compares the sides' pooled p50s when the rounds come with them, the rounds showing the spread", () => {
      const figures = keyFigures([
        ...round(1, 26, 25),
        ...round(2, 30, 25.5),
        aRun({ tracing: 'on', p50: 25.8, cpuMsPerOrder: 2.4 }),
        aRun({ tracing: 'off', p50: 25.2, cpuMsPerOrder: 2.1 }),
      ]);
      expect(figures.tracingOverhead).to.deep.include({
        value: 0.6,
        tracedP50: 25.8,
        untracedP50: 25.2,
        pooled: true,
        rounds: [1, 4.5],
        met: true,
      });
      expect(figures.tracingOverhead?.cpuMsPerOrder).to.deep.equal({ traced: 2.4, untraced: 2.1 });
    });

    it('gives the same figure for every order sampled, beside the one as deployed', () => {
      const figures = keyFigures([
        ...round(1, 25.5, 25),
        aRun({ tracing: 'all', round: 1, p50: 28 }),
        ...round(2, 25, 25),
        aRun({ tracing: 'all', round: 2, p50: 27 }),
      ]);
      expect(figures.tracingOverhead).to.deep.include({ value: 0.25, met: true });
      expect(figures.tracingOverhead?.everyOrder).to.deep.include({
        value: 2.5,
        met: false,
        tracedP50: 27.5,
        rounds: [3, 2],
      });
    });

    it('is missed above both 1 ms and 5 %, and stays out of the other figures', () => {
      const figures = keyFigures([...round(1, 27.5, 25), ...round(2, 28, 25)]);
      expect(figures.tracingOverhead).to.deep.include({ value: 2.75, met: false, ratio: 1.11 });
      expect(figures.floorRatio).to.equal(undefined);
      expect(figures.sellerSlowChange).to.equal(undefined);
      expect(keyFigures([aRun({ p50: 50 })]).tracingOverhead).to.equal(undefined);
    });
  });

  describe('the hot-product comparison', () => {
    const step = (
      variant: `${'per-order' | 'shared'} ${'single' | 'sharded'}`,
      offeredRate: number,
      throughput: number,
      p99: number,
      failed = 0,
    ) => {
      const [commits, layout] = variant.split(' ') as [
        'per-order' | 'shared',
        'single' | 'sharded',
      ];
      return aRun({
        scenario: 'hot-product',
        hot: { layout, commits, shards: layout === 'single' ? 1 : 16, instances: 2 },
        offeredRate,
        throughput,
        requests: 100,
        successes: 100 - failed,
        latencyMs: { count: 100, p50: p99 / 4, p95: p99 / 2, p99, max: p99 },
      });
    };

    it("takes each variant's highest passing step, not counting one with an error or p99 ≥ 1 s", () => {
      const figures = keyFigures([
        step('per-order single', 4, 4, 200),
        step('shared single', 4, 4, 208),
        step('per-order sharded', 4, 4, 100),
        step('shared sharded', 4, 4, 100),
        step('per-order single', 8, 7.9, 1000),
        step('shared single', 8, 8, 120),
        step('per-order sharded', 8, 8, 120),
        step('shared sharded', 8, 8, 120),
        step('shared single', 16, 15.8, 300, 1),
        step('per-order sharded', 16, 16, 900),
        step('shared sharded', 16, 16, 1200),
      ]);
      expect(figures.hotProduct).to.deep.equal({
        value: 2,
        target: 5,
        met: false,
        rates: {
          'per-order single': 4,
          'per-order sharded': 16,
          'shared single': 8,
          'shared sharded': 8,
        },
        lowLoadP50: { rate: 4, perOrderMs: 50, sharedMs: 52, ratio: 1.04, target: 1.05, met: true },
        shards: 16,
        instances: 2,
        capped: ['per-order sharded'],
      });
      expect(figures.floorRatio).to.equal(undefined);
    });

    it('is met at 5× shared over per-order commits on one document; a slower p50 at low load is not', () => {
      const figures = keyFigures([
        step('per-order single', 4, 4, 200),
        step('shared single', 4, 4, 240),
        step('per-order single', 8, 8, 1500),
        step('shared single', 8, 8, 100),
        step('shared single', 16, 20, 100),
      ]);
      expect(figures.hotProduct).to.deep.include({
        value: 5,
        met: true,
        capped: ['shared single'],
      });
      expect(figures.hotProduct?.lowLoadP50).to.deep.include({ ratio: 1.2, met: false });
      expect(keyFigures([aRun()]).hotProduct).to.equal(undefined);
    });
  });
});
