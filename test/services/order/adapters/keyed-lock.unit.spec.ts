import { expect } from 'chai';
import { KeyedLock } from '@orderflow/order/adapters/keyed-lock';
import { deferred, eventually, type Deferred } from '../../../support/async.js';

/** Work that records when it starts and finishes only when released. */
function gatedWork(
  log: string[],
  name: string,
): { run: () => Promise<string>; gate: Deferred<void> } {
  const gate = deferred();
  return {
    gate,
    run: async () => {
      log.push(`${name} start`);
      await gate.promise;
      log.push(`${name} end`);
      return name;
    },
  };
}

describe('KeyedLock', () => {
  it('runs work for the same key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gatedWork(log, 'a');
    const b = gatedWork(log, 'b');

    const first = lock.run(['mug'], a.run);
    const second = lock.run(['mug'], b.run);
    await eventually(() => log.length === 1);
    b.gate.resolve();
    a.gate.resolve();

    expect(await Promise.all([first, second])).to.deep.equal(['a', 'b']);
    expect(log).to.deep.equal(['a start', 'a end', 'b start', 'b end']);
  });

  it('runs work for different keys at the same time', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gatedWork(log, 'a');
    const b = gatedWork(log, 'b');

    const both = Promise.all([lock.run(['mug'], a.run), lock.run(['bowl'], b.run)]);
    await eventually(() => log.length === 2);
    a.gate.resolve();
    b.gate.resolve();

    await both;
    expect(log.slice(0, 2)).to.have.members(['a start', 'b start']);
  });

  it('does not deadlock on overlapping key sets taken in opposite orders', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gatedWork(log, 'a');
    const b = gatedWork(log, 'b');

    const both = Promise.all([lock.run(['mug', 'bowl'], a.run), lock.run(['bowl', 'mug'], b.run)]);
    await eventually(() => log.length === 1);
    a.gate.resolve();
    b.gate.resolve();

    expect(await both).to.deep.equal(['a', 'b']);
  });

  it('accepts a key listed twice', async () => {
    expect(await new KeyedLock().run(['mug', 'mug'], () => Promise.resolve('done'))).to.equal(
      'done',
    );
  });

  it('releases the keys when the work fails', async () => {
    const lock = new KeyedLock();
    const failed = await lock
      .run(['mug'], () => Promise.reject(new Error('boom')))
      .then(
        () => 'resolved',
        (error: unknown) => (error as Error).message,
      );
    expect(failed).to.equal('boom');
    expect(await lock.run(['mug'], () => Promise.resolve('next'))).to.equal('next');
  });
});
