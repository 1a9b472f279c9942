import { expect } from 'chai';
import { GroupCommit, tryAgain, type CommitResult } from '@orderflow/order/adapters/group-commit';

/** A commit that the test settles by hand, recording each batch it was given. */
function heldCommits() {
  const batches: string[][] = [];
  const inFlight: { members: readonly string[]; resolve: (r: CommitResult<string>[]) => void }[] =
    [];
  const group = new GroupCommit<string, string>(
    (members) =>
      new Promise((resolve) => {
        batches.push([...members]);
        inFlight.push({ members, resolve });
      }),
  );
  /** Settles the oldest commit in flight, each member answered by `answer`. */
  const settle = async (answer: (member: string) => CommitResult<string> = (m) => `${m} done`) => {
    const commit = inFlight.shift();
    if (!commit) throw new Error('no commit in flight');
    commit.resolve(commit.members.map(answer));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { group, batches, settle };
}

describe('GroupCommit', () => {
  it('commits a lone member at once, without waiting for others', () => {
    const { group, batches } = heldCommits();
    void group.submit('mug', 'a');
    expect(batches).to.deep.equal([['a']]);
  });

  it('gathers the members that arrive during a commit into the next one, in arrival order', async () => {
    const { group, batches, settle } = heldCommits();
    const answers = ['a', 'b', 'c', 'd'].map((m) => group.submit('mug', m));
    expect(batches).to.deep.equal([['a']]);
    await settle();
    expect(batches).to.deep.equal([['a'], ['b', 'c', 'd']]);
    await settle();
    expect(await Promise.all(answers)).to.deep.equal(['a done', 'b done', 'c done', 'd done']);
  });

  it('gives each member its own answer, a failure to one alone', async () => {
    const { group, settle } = heldCommits();
    const first = group.submit('mug', 'a');
    const [refused, placed] = [group.submit('mug', 'b'), group.submit('mug', 'c')];
    await settle();
    await settle((m) => (m === 'b' ? new Error('insufficient stock') : `${m} done`));
    expect(await first).to.equal('a done');
    expect(await refused.catch((e: unknown) => (e as Error).message)).to.equal(
      'insufficient stock',
    );
    expect(await placed).to.equal('c done');
  });

  it('puts the members a commit answered tryAgain at the head of the next batch', async () => {
    const { group, batches, settle } = heldCommits();
    const answers = ['a', 'b'].map((m) => group.submit('mug', m));
    await settle((m) => (m === 'a' ? tryAgain : `${m} done`));
    const late = group.submit('mug', 'c');
    await settle();
    await settle();
    expect(batches).to.deep.equal([['a'], ['a', 'b'], ['c']]);
    expect(await Promise.all([...answers, late])).to.deep.equal(['a done', 'b done', 'c done']);
  });

  it('commits different keys side by side, and forgets a key once it is idle', async () => {
    const { group, batches, settle } = heldCommits();
    const answers = [group.submit('mug', 'a'), group.submit('bowl', 'b')];
    expect(batches).to.deep.equal([['a'], ['b']]);
    expect(group.activeKeys).to.equal(2);
    await settle();
    await settle();
    await Promise.all(answers);
    expect(group.activeKeys).to.equal(0);
  });
});
