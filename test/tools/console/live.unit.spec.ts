import { expect } from 'chai';
import { Polled } from '@orderflow/tools/console/live';

/** A read whose answers the test sets, counting how often it was read. */
function aSource() {
  const source = {
    value: 1,
    reads: 0,
    read: () => {
      source.reads++;
      return Promise.resolve(source.value);
    },
  };
  return source;
}

describe('console: polled values', () => {
  it('reads for all watchers at once, again on each refresh, and passes a value on only when it changed', async () => {
    const source = aSource();
    const polled = new Polled(() => source.read(), 60_000);
    const first: number[] = [];
    const second: number[] = [];
    const stopFirst = polled.watch(
      (v) => first.push(v),
      () => undefined,
    );
    await polled.refresh();
    const stopSecond = polled.watch(
      (v) => second.push(v),
      () => undefined,
    );
    await polled.refresh();
    source.value = 2;
    await polled.refresh();
    stopFirst();
    stopSecond();
    expect(first).to.deep.equal([1, 2]);
    expect(second).to.deep.equal([1, 2]);
    // The first watch reads, and each refresh reads again (a read in flight may predate the
    // action that asked for it); the second watcher is given the value read for the first.
    expect(source.reads).to.equal(4);
  });

  it('stops reading when nobody watches', async () => {
    const source = aSource();
    const polled = new Polled(() => source.read(), 60_000);
    const stop = polled.watch(
      () => undefined,
      () => undefined,
    );
    await polled.refresh();
    stop();
    await polled.refresh();
    expect(source.reads).to.equal(2);
  });

  it('reports a failed read to every watcher', async () => {
    const polled = new Polled(() => Promise.reject(new Error('boom')), 60_000);
    const errors: unknown[] = [];
    const stop = polled.watch(
      () => undefined,
      (e) => errors.push(e),
    );
    await polled.refresh();
    stop();
    expect(errors.map(String)).to.deep.equal(['Error: boom', 'Error: boom']);
  });

  it('passes on a value that is not there yet, once', async () => {
    const source: { value?: string } = {};
    const polled = new Polled(() => Promise.resolve(source.value), 60_000);
    const seen: (string | undefined)[] = [];
    const stop = polled.watch(
      (v) => seen.push(v),
      () => undefined,
    );
    await polled.refresh();
    source.value = 'here';
    await polled.refresh();
    stop();
    expect(seen).to.deep.equal([undefined, 'here']);
  });
});
