import { expect } from 'chai';
import {
  distribution,
  peakOverlap,
  percentile,
  relativeChange,
} from '@orderflow/tools/bench/statistics';

describe('bench statistics', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest-rank percentile of sorted samples', () => {
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 95)).to.equal(95);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile([7], 99)).to.equal(7);
    expect(percentile([1, 2, 3], 0)).to.equal(1);
    expect(() => percentile([], 50)).to.throw(/no samples/);
  });

  it('summarises samples in any order, rounded to a tenth of a millisecond', () => {
    const shuffled = [...hundred].reverse().map((v) => v + 0.04);
    expect(distribution(shuffled)).to.deep.equal({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
    expect(distribution([])).to.equal(undefined);
  });

  it('finds the most intervals open at once, an end before a start at the same instant', () => {
    const intervals = [
      { start: 0, end: 10 },
      { start: 2, end: 5 },
      { start: 5, end: 8 },
      { start: 4, end: 6 },
    ];
    expect(peakOverlap(intervals)).to.deep.equal({ peak: 3, at: 4 });
    expect(
      peakOverlap([
        { start: 0, end: 1 },
        { start: 1, end: 2 },
      ]),
    ).to.deep.equal({
      peak: 1,
      at: 0,
    });
    expect(peakOverlap([]).peak).to.equal(0);
  });

  it('gives a relative change', () => {
    expect(relativeChange(100, 110)).to.be.closeTo(0.1, 1e-9);
    expect(relativeChange(100, 80)).to.be.closeTo(-0.2, 1e-9);
  });
});
