import { expect } from 'chai';
import { onFirstUse } from '@orderflow/platform/on-first-use';

class Counter {
  count = 0;
  // A private field throws when read through anything but the object itself.
  readonly #step = 2;
  add(): number {
    this.count += this.#step;
    return this.count;
  }
}

describe('onFirstUse', () => {
  it('makes nothing until a member is used', () => {
    let made = 0;
    const counter = onFirstUse(() => {
      made += 1;
      return new Counter();
    });
    expect(made).to.equal(0);
    expect(counter.created()).to.be.undefined;

    expect(counter.value.add()).to.equal(2);
    expect(counter.value.count).to.equal(2);
    expect(made).to.equal(1);
    expect(counter.created()).to.be.instanceOf(Counter);
  });

  it('calls methods on the real object, whose state they change', () => {
    const counter = onFirstUse(() => new Counter());
    counter.value.add();
    counter.value.count += 1;
    expect(counter.created()?.count).to.equal(3);
    expect('add' in counter.value).to.be.true;
    expect(counter.value).to.be.instanceOf(Counter);
  });
});
