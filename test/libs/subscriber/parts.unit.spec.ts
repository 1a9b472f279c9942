import { expect } from 'chai';
import {
  backoffMs,
  claimDue,
  nextDueAt,
  partsFulfilment,
  requeue,
  settle,
  settlePushed,
  type PartPolicy,
} from '@orderflow/subscriber';

const policy: PartPolicy = { maxAttempts: 3, minBackoffMs: 1_000, maxBackoffMs: 5_000 };
const now = 1_000_000;
const at = new Date(now);

describe('a delivery in parts', () => {
  describe('backoff', () => {
    it('doubles from the minimum after each failure, up to the maximum', () => {
      const middle = () => 0.5;
      expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, policy, middle))).to.deep.equal([
        1_000, 2_000, 4_000, 5_000, 5_000,
      ]);
    });

    it('jitters by ±20 %, never past the maximum', () => {
      expect(backoffMs(1, policy, () => 0)).to.equal(800);
      expect(backoffMs(1, policy, () => 0.999_999)).to.equal(1_200);
      expect(backoffMs(3, policy, () => 0.999_999)).to.equal(4_800);
      expect(backoffMs(4, policy, () => 0.999_999)).to.equal(5_000);
      expect(backoffMs(4, policy, () => 0)).to.equal(4_000);
    });
  });

  it('records the push outcomes: a done part, a failed part due after its backoff', () => {
    const { parts, deadLettered } = settlePushed(
      {},
      [
        { name: 'seller:a', attempt: 1 },
        { name: 'seller:b', attempt: 1, error: 'HTTP 503' },
      ],
      now,
      policy,
      () => 0.5,
    );
    expect(parts).to.deep.equal({
      'seller:a': { state: 'done', attempts: 1 },
      'seller:b': { state: 'retrying', attempts: 1, lastError: 'HTTP 503', dueAt: now + 1_000 },
    });
    expect(deadLettered).to.deep.equal([]);
    expect(nextDueAt(parts)).to.equal(now + 1_000);
  });

  it('leaves the parts a redelivered push finds already recorded as they are', () => {
    const before = { 'seller:a': { state: 'done' as const, attempts: 1 } };
    const { parts } = settlePushed(
      before,
      [{ name: 'seller:a', attempt: 1, error: 'late' }],
      now,
      policy,
    );
    expect(parts).to.deep.equal(before);
  });

  it('claims only the due retrying parts, counting the attempt and holding them for the lease', () => {
    const { parts, claimed } = claimDue(
      {
        due: { state: 'retrying', attempts: 1, dueAt: now },
        later: { state: 'retrying', attempts: 1, dueAt: now + 5_000 },
        done: { state: 'done', attempts: 1 },
      },
      now,
      30_000,
      policy,
    );
    expect(claimed).to.deep.equal([{ name: 'due', attempt: 2 }]);
    expect(parts.due).to.include({ attempts: 2, dueAt: now + 30_000 });
    // A second sweep meanwhile finds nothing due.
    expect(claimDue(parts, now + 1, 30_000, policy).claimed.map((c) => c.name)).to.deep.equal([]);
    // A sweep that died with it: the part is taken again after the lease.
    expect(claimDue(parts, now + 30_000, 30_000, policy).claimed).to.deep.equal([
      { name: 'due', attempt: 3 },
      { name: 'later', attempt: 2 },
    ]);
  });

  it('dead-letters at the claim a part whose last attempt was claimed and never settled', () => {
    // Attempt 3 of 3 was claimed; whatever threw, it never settled, and its lease has run out.
    const parts = {
      poison: { state: 'retrying' as const, attempts: 3, lastError: 'HTTP 503', dueAt: now },
      other: { state: 'retrying' as const, attempts: 1, dueAt: now },
    };

    const due = claimDue(parts, now, 30_000, policy);

    const poison = {
      state: 'dead-lettered',
      attempts: 3,
      lastError: 'attempt 3 never finished; last error: HTTP 503',
    };
    expect(due.deadLettered).to.deep.equal([['poison', poison]]);
    expect(due.parts.poison).to.deep.equal(poison);
    expect(due.claimed).to.deep.equal([{ name: 'other', attempt: 2 }]);
    expect(nextDueAt(due.parts)).to.equal(now + 30_000);
  });

  it('dead-letters a part at its last attempt, and ignores an outcome of an attempt no longer its', () => {
    const parts = { 'seller:b': { state: 'retrying' as const, attempts: 3, dueAt: now } };
    const stale = settle(parts, [{ name: 'seller:b', attempt: 2 }], now, policy);
    expect(stale.parts).to.deep.equal(parts);
    const last = settle(parts, [{ name: 'seller:b', attempt: 3, error: 'HTTP 503' }], now, policy);
    expect(last.parts['seller:b']).to.deep.equal({
      state: 'dead-lettered',
      attempts: 3,
      lastError: 'HTTP 503',
    });
    expect(last.deadLettered.map(([name]) => name)).to.deep.equal(['seller:b']);
    expect(nextDueAt(last.parts)).to.equal(undefined);
  });

  it('requeues only a dead-lettered part, due now with a fresh count; a done part stays done', () => {
    const parts = {
      a: { state: 'done' as const, attempts: 1 },
      b: { state: 'dead-lettered' as const, attempts: 3, lastError: 'HTTP 503' },
    };
    const requeued = requeue(parts, 'b', now);
    expect(requeued.outcome).to.equal('requeued');
    expect(requeued.parts).to.deep.equal({
      a: parts.a,
      b: { state: 'retrying', attempts: 0, dueAt: now },
    });
    expect(requeue(parts, 'a', now).outcome).to.equal('done');
    expect(requeue(parts, 'c', now).outcome).to.equal('missing');
  });

  it('derives the order fulfilment from the part worst off', () => {
    const fulfilment = (parts: Parameters<typeof partsFulfilment>[1]) =>
      partsFulfilment('e1', parts, at);
    expect(fulfilment({ a: { state: 'done', attempts: 1 } })).to.include({
      state: 'done',
      attempts: 1,
    });
    expect(
      fulfilment({
        a: { state: 'done', attempts: 1 },
        b: { state: 'retrying', attempts: 2, lastError: 'HTTP 503', dueAt: now },
      }),
    ).to.include({ state: 'retrying', attempts: 2, lastError: 'HTTP 503' });
    expect(
      fulfilment({
        a: { state: 'retrying', attempts: 1, lastError: 'x', dueAt: now },
        b: { state: 'dead-lettered', attempts: 3, lastError: 'HTTP 503' },
      }),
    ).to.include({ state: 'dead-lettered', attempts: 3 });
    // A replayed part not tried yet.
    expect(
      fulfilment({
        a: { state: 'done', attempts: 1 },
        b: { state: 'retrying', attempts: 0, dueAt: now },
      }),
    ).to.include({ state: 'pending', attempts: 0 });
  });
});
