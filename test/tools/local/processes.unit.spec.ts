import { expect } from 'chai';
import { processCpuMs } from '@orderflow/tools/local/processes';

describe('a process its CPU time', () => {
  it('reads what this process has used so far, and grows as it works', () => {
    const before = processCpuMs(process.pid);
    const until = Date.now() + 100;
    while (Date.now() < until); // Busy on purpose: 100 ms of CPU to see.
    const after = processCpuMs(process.pid);
    expect(before).to.be.a('number');
    expect(after! - before!).to.be.at.least(50);
  });

  it('is unknown for a process that is not there', () => {
    expect(processCpuMs(2 ** 22 + 1)).to.equal(undefined);
  });
});
