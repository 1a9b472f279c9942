import { expect } from 'chai';
import { openLoop } from '@orderflow/tools/bench/open-loop';
import type { OrderDraft } from '@orderflow/tools/bench/workload';

describe('bench open-loop load', () => {
  const draft: OrderDraft = {
    customer: { id: 'c', email: 'c@customers.test', token: 't' },
    items: [{ productId: 'p', quantity: 1 }],
  };
  const load = { rate: 100, seconds: 0.2, timeoutMs: 5000 };

  it('starts every operation on schedule while none has answered: the load does not wait', async () => {
    const release: (() => void)[] = [];
    let startedBeforeAnyAnswer = 0;
    const outcome = await openLoop(
      load,
      () => draft,
      () =>
        new Promise((resolve) => {
          startedBeforeAnyAnswer += 1;
          release.push(() => resolve({ id: String(release.length), createdAt: '' }));
          // Only once the last one has started does anything answer.
          if (release.length === 20) release.forEach((answer) => answer());
        }),
    );
    expect(startedBeforeAnyAnswer).to.equal(20);
    expect(outcome).to.deep.include({ requests: 20, successes: 20, failures: {} });
    expect(outcome.placed).to.have.length(20);
    // The first started about 190 ms before the answers: latency counts from its scheduled start.
    expect(Math.max(...outcome.latenciesMs)).to.be.at.least(150);
  });

  it('counts an operation unanswered at its timeout as failed, and errors by their code', async () => {
    let n = 0;
    const outcome = await openLoop(
      { ...load, timeoutMs: 50 },
      () => draft,
      () => {
        n += 1;
        if (n % 2) return new Promise(() => undefined);
        return Promise.reject(Object.assign(new Error('busy'), { code: '503' }));
      },
    );
    expect(outcome).to.deep.include({ requests: 20, successes: 0 });
    expect(outcome.failures).to.deep.equal({ timeout: 10, '503': 10 });
    expect(outcome.latenciesMs).to.have.length(10);
  });
});
