import { expect } from 'chai';
import { latencyChart } from '@orderflow/tools/bench/chart';
import { aRun } from './support.js';

describe('bench chart', () => {
  const results = [
    aRun({ architecture: 'floor', step: 'transaction+publish', p50: 40 }),
    aRun({ architecture: 'floor', step: 'publish', p50: 10 }),
    aRun({ p50: 50 }),
    aRun({ architecture: 'rr-sequential', p50: 150 }),
    aRun({ architecture: 'rr-parallel', scenario: 'seller-failing', successes: 0, p50: 75 }),
  ];
  const svg = latencyChart(results, 'quick run <test> & more');

  it('is a standalone SVG document', () => {
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(svg.trimEnd()).to.match(/<\/svg>$/);
    expect(svg).to.contain('quick run &lt;test&gt; &amp; more');
  });

  it('draws p99, p95 and p50 for each architecture in each scenario, the floor its full step', () => {
    const titles = [...svg.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).to.deep.equal([
      'floor (transaction then publish), healthy: p99 120 ms',
      'floor (transaction then publish), healthy: p95 80 ms',
      'floor (transaction then publish), healthy: p50 40 ms',
      'event-driven, healthy: p99 150 ms',
      'event-driven, healthy: p95 100 ms',
      'event-driven, healthy: p50 50 ms',
      'request-response, sequential, healthy: p99 450 ms',
      'request-response, sequential, healthy: p95 300 ms',
      'request-response, sequential, healthy: p50 150 ms',
      'request-response, parallel, seller-failing: p99 225 ms',
      'request-response, parallel, seller-failing: p95 150 ms',
      'request-response, parallel, seller-failing: p50 75 ms',
    ]);
  });

  it('marks the runs that did not answer 2xx, and labels a log axis up to the nearest 1, 2 or 5', () => {
    expect(svg).to.contain('>0% ok</text>');
    expect(svg.match(/% ok</g)).to.have.length(1);
    for (const label of ['>10 ms<', '>100 ms<', '>500 ms<']) expect(svg).to.contain(label);
  });

  it('places higher latencies higher up', () => {
    const top = (title: string) =>
      Number(new RegExp(`y="([\\d.]+)"[^>]*><title>${title}`).exec(svg)?.[1]);
    expect(top('event-driven, healthy: p50 50 ms')).to.be.below(
      top('floor \\(transaction then publish\\), healthy: p50 40 ms'),
    );
  });
});
