import { expect } from 'chai';
import { bracket, nextRate, type StepOutcome } from '@orderflow/tools/bench/step-search';

describe('bench saturation step search', () => {
  const search = { startRate: 20, growth: 1.5, precision: 0.1, maxSteps: 10 };
  const run = (limit: number, settings = search) => {
    const steps: StepOutcome[] = [];
    for (let rate = nextRate(settings, steps); rate; rate = nextRate(settings, steps)) {
      steps.push({ rate, passed: rate <= limit });
    }
    return steps;
  };

  it('rises by the growth factor until a step fails, then narrows geometrically', () => {
    expect(run(50).map((s) => s.rate)).to.deep.equal([20, 30, 45, 68, 55, 50]);
  });

  it('ends with the failed rate within the precision above the highest passed', () => {
    const { passed = 0, failed = 0 } = bracket(run(137));
    expect(passed).to.be.at.most(137);
    expect(failed)
      .to.be.above(137)
      .and.at.most(passed * 1.1);
  });

  it('goes down from the start when the start fails, and stops at 1/s', () => {
    expect(run(8).map((s) => s.rate)).to.deep.equal([20, 13, 8, 10, 9]);
    expect(run(0).map((s) => s.rate)).to.deep.equal([20, 13, 8, 5, 3, 2, 1]);
    expect(bracket(run(0))).to.deep.equal({ failed: 1 });
  });

  it('stops after maxSteps, the saturation then only bracketed', () => {
    const steps = run(1000, { ...search, maxSteps: 3 });
    expect(steps.map((s) => s.rate)).to.deep.equal([20, 30, 45]);
    expect(bracket(steps)).to.deep.equal({ passed: 45 });
  });

  it('takes no pass above a failure: noise cannot raise the saturation', () => {
    const steps = [
      { rate: 20, passed: true },
      { rate: 30, passed: false },
      { rate: 25, passed: true },
      { rate: 45, passed: true },
    ];
    expect(bracket(steps)).to.deep.equal({ passed: 25, failed: 30 });
  });
});
