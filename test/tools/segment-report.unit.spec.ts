import { expect } from 'chai';
import { distributionChart, distributionOf } from '@orderflow/tools/shared/segment-report';

async function* segmentsOf(...labels: ('new' | 'returning' | 'loyal' | 'vip')[]) {
  for (const segment of labels) yield Promise.resolve({ segment });
}

describe('segments report', () => {
  it('counts the customers of every label, the empty ones too, in the order labels are reached', async () => {
    expect(await distributionOf(segmentsOf('vip', 'new', 'new', 'returning'))).to.deep.equal([
      { segment: 'new', customers: 2 },
      { segment: 'returning', customers: 1 },
      { segment: 'loyal', customers: 0 },
      { segment: 'vip', customers: 1 },
    ]);
  });

  it('draws one bar per label, as SVG, each as high as its count', async () => {
    const svg = await distributionChart([
      { segment: 'new', customers: 4 },
      { segment: 'returning', customers: 2 },
      { segment: 'loyal', customers: 1 },
      { segment: 'vip', customers: 0 },
    ]);
    expect(svg).to.match(/^<svg /);
    for (const label of ['new', 'returning', 'loyal', 'vip']) expect(svg).to.contain(`>${label}<`);
    // Vega names each bar's data in its aria label: "segment: new; customers: 4".
    const bars = [...svg.matchAll(/aria-label="segment: (\w+); customers: (\d+)"/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(bars).to.deep.equal([
      ['new', 4],
      ['returning', 2],
      ['loyal', 1],
      ['vip', 0],
    ]);
  });
});
