import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { settleAfterFailedStep } from '@orderflow/tools/bench/settle';

/** A probe whose orders take the given milliseconds in turn (the last one from then on); NaN fails. */
function probe(...durations: number[]) {
  let calls = 0;
  const place = async () => {
    const ms = durations[Math.min(calls, durations.length - 1)] ?? 0;
    calls += 1;
    if (Number.isNaN(ms)) throw new Error('503 busy');
    await sleep(ms);
  };
  return { place, calls: () => calls };
}

describe('settling after a failed step of a bench search', () => {
  const settings = { orders: 2, recoveredMs: 40, maxSeconds: 3 };

  it('renews Pub/Sub, then waits until every probe placed its orders quickly in a row', async () => {
    const lines: string[] = [];
    const api = probe(80, 1, 80, 1, 1);
    const floor = probe(1);
    let renewed = 0;
    await settleAfterFailedStep(
      (l) => lines.push(l),
      settings,
      { api: api.place, floor: floor.place },
      () => {
        renewed += 1;
        return Promise.resolve(true);
      },
    );
    expect(renewed).to.equal(1);
    // A slow order starts the count again: slow, fast, slow, fast, fast.
    expect(api.calls()).to.equal(5);
    expect(floor.calls()).to.equal(2);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^ {2}recovered after \d+ s, with a new Pub\/Sub emulator$/);
  });

  it('gives up after its time and says which probe stayed slow, and how', async () => {
    const lines: string[] = [];
    const hot = probe(Number.NaN);
    await settleAfterFailedStep(
      (l) => lines.push(l),
      { ...settings, maxSeconds: 1 },
      { 'sharded through instance 1': hot.place },
      () => Promise.resolve(false),
    );
    expect(hot.calls()).to.be.within(2, 3);
    expect(lines).to.deep.equal([
      '  still slow after 1 s (sharded through instance 1: its last order failed: 503 busy); the next step starts anyway',
    ]);
  });
});
