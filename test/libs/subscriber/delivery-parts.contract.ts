import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { FulfilmentRecord } from '@orderflow/events';
import type {
  DeadLetterRecord,
  DeliveryContext,
  DeliveryLedger,
  PartClaim,
  PartPolicy,
} from '@orderflow/subscriber';
import { aContractSubscriber } from './contract-subscribers.js';

export interface PartsLedgerUnderTest {
  ledger: DeliveryLedger;
  fulfilment(orderId: string, subscriber: string): Promise<FulfilmentRecord | undefined>;
  /** The dead-letter record `dlq list` would show, by subscriber and key. */
  deadLetter(subscriber: string, key: string): Promise<DeadLetterRecord | undefined>;
}

const leaseMs = 1000;
const policy: PartPolicy = { maxAttempts: 3, minBackoffMs: 1000, maxBackoffMs: 4000 };
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
// Backoff has ±20 % jitter: the first retry is due between 800 and 1200 ms after the push.
const dueAfterPush = 1200;

/**
 * What every ledger guarantees of a delivery in parts (the seller's sellers): the push's outcomes,
 * the sweep's due query, its claim under a lease and its settling, up to the part's dead letter.
 */
export function behavesAsAPartsLedger(make: () => PartsLedgerUnderTest): void {
  let subject: PartsLedgerUnderTest;
  let ledger: DeliveryLedger;
  let delivery: DeliveryContext;
  let message: PartClaim['message'];
  const fulfilment = () => subject.fulfilment(delivery.orderId, delivery.subscriber);
  const due = (ms: number) => ledger.dueParts(delivery.subscriber, at(ms), 10);
  const key = () => ({ subscriber: delivery.subscriber, eventId: delivery.eventId });

  /** The push's first try: `seller:a` done, `seller:b` failed. */
  async function pushed() {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.settlePushedParts(delivery, at(10), {
      attempt: 1,
      message,
      outcomes: [
        { name: 'seller:a', attempt: 1 },
        { name: 'seller:b', attempt: 1, error: 'HTTP 503' },
      ],
      policy,
    });
  }

  beforeEach(() => {
    subject = make();
    ledger = subject.ledger;
    // A subscriber of this test alone: the sweep's query sees no other test's deliveries.
    delivery = {
      subscriber: aContractSubscriber('seller'),
      eventId: `event-${randomUUID()}`,
      orderId: `order-${randomUUID()}`,
      eventType: 'order.placed.v1',
    };
    message = { data: '{"parts":true}', attributes: { 'ce-id': delivery.eventId } };
  });

  it('records a push’s outcomes: the push done, the failed part due after its backoff, the order retrying', async () => {
    await pushed();

    expect(await ledger.begin(delivery, at(20), leaseMs)).to.deep.equal({ status: 'done' });
    expect(await fulfilment()).to.deep.equal({
      state: 'retrying',
      eventId: delivery.eventId,
      attempts: 1,
      lastError: 'HTTP 503',
      updatedAt: at(10).toISOString(),
    });
    expect(await due(10 + 799)).to.deep.equal([]);
    expect(await due(10 + dueAfterPush)).to.deep.equal([key()]);
  });

  it('ignores the outcomes of a push that another attempt has taken over', async () => {
    await ledger.begin(delivery, at(0), leaseMs);
    await ledger.begin(delivery, at(leaseMs + 1), leaseMs);
    await ledger.settlePushedParts(delivery, at(leaseMs + 10), {
      attempt: 1,
      message,
      outcomes: [{ name: 'seller:b', attempt: 1, error: 'HTTP 503' }],
      policy,
    });

    expect(await fulfilment()).to.equal(undefined);
    expect(await due(60_000)).to.deep.equal([]);
  });

  it('lets one sweep claim the due parts, with the next attempt, until its lease ends', async () => {
    await pushed();
    const now = 10 + dueAfterPush;

    const claim = await ledger.claimParts(key(), at(now), leaseMs, policy);
    expect(claim).to.deep.equal({
      delivery,
      message,
      parts: [{ name: 'seller:b', attempt: 2 }],
      deadLettered: [],
    });
    expect(await ledger.claimParts(key(), at(now + leaseMs - 1), leaseMs, policy)).to.equal(
      undefined,
    );
    expect(await due(now + leaseMs - 1)).to.deep.equal([]);
    // A sweep that died with its claim: the part is taken again once the lease is over.
    expect(await ledger.claimParts(key(), at(now + leaseMs), leaseMs, policy)).to.deep.include({
      parts: [{ name: 'seller:b', attempt: 3 }],
    });
  });

  it('settles a claimed part that succeeded: the order done, nothing due', async () => {
    await pushed();
    const now = 10 + dueAfterPush;
    const claim = (await ledger.claimParts(key(), at(now), leaseMs, policy))!;

    const letters = await ledger.settleParts(
      claim,
      at(now + 50),
      [{ name: 'seller:b', attempt: 2 }],
      policy,
    );

    expect(letters).to.deep.equal([]);
    expect(await fulfilment()).to.deep.include({ state: 'done', attempts: 2 });
    expect(await due(600_000)).to.deep.equal([]);
  });

  it('dead-letters a part at its last attempt: its record and the order dead-lettered in one step', async () => {
    await pushed();
    let now = 10 + dueAfterPush;
    let claim = (await ledger.claimParts(key(), at(now), leaseMs, policy))!;
    await ledger.settleParts(
      claim,
      at(now + 50),
      [{ name: 'seller:b', attempt: 2, error: 'HTTP 502' }],
      policy,
    );
    expect(await fulfilment()).to.deep.include({ state: 'retrying', attempts: 2 });
    now += 50 + 2 * dueAfterPush;
    claim = (await ledger.claimParts(key(), at(now), leaseMs, policy))!;
    expect(claim.parts).to.deep.equal([{ name: 'seller:b', attempt: 3 }]);

    const letters = await ledger.settleParts(
      claim,
      at(now + 50),
      [{ name: 'seller:b', attempt: 3, error: 'HTTP 500' }],
      policy,
    );

    const expected: DeadLetterRecord = {
      subscriber: delivery.subscriber,
      key: `${delivery.eventId}~seller:b`,
      eventId: delivery.eventId,
      orderId: delivery.orderId,
      type: delivery.eventType,
      part: 'seller:b',
      attempts: 3,
      reason: 'HTTP 500',
      deadLetteredAt: at(now + 50).toISOString(),
      message,
      state: 'dead-lettered',
    };
    expect(letters).to.deep.equal([expected]);
    expect(await subject.deadLetter(delivery.subscriber, expected.key)).to.deep.equal(expected);
    expect(await fulfilment()).to.deep.equal({
      state: 'dead-lettered',
      eventId: delivery.eventId,
      attempts: 3,
      lastError: 'HTTP 500',
      updatedAt: at(now + 50).toISOString(),
    });
    expect(await due(600_000)).to.deep.equal([]);
  });

  it('dead-letters at the claim a part whose last attempt never settled, with its record and the order', async () => {
    await pushed();
    let now = 10 + dueAfterPush;
    // Attempts 2 and 3 claimed, and each sweep died or threw before settling.
    await ledger.claimParts(key(), at(now), leaseMs, policy);
    now += leaseMs;
    expect(await ledger.claimParts(key(), at(now), leaseMs, policy)).to.deep.include({
      parts: [{ name: 'seller:b', attempt: 3 }],
    });
    now += leaseMs;

    const claim = await ledger.claimParts(key(), at(now), leaseMs, policy);

    const reason = 'attempt 3 never finished; last error: HTTP 503';
    expect(claim?.parts).to.deep.equal([]);
    expect(claim?.deadLettered).to.have.length(1);
    expect(claim?.deadLettered[0]).to.deep.include({ part: 'seller:b', attempts: 3, reason });
    const letter = await subject.deadLetter(delivery.subscriber, `${delivery.eventId}~seller:b`);
    expect(letter).to.deep.include({ state: 'dead-lettered', reason });
    expect(await fulfilment()).to.deep.include({ state: 'dead-lettered', attempts: 3 });
    expect(await due(now + 600_000)).to.deep.equal([]);
  });

  it('ignores an outcome whose attempt is no longer the part’s', async () => {
    await pushed();
    const now = 10 + dueAfterPush;
    const claim = (await ledger.claimParts(key(), at(now), leaseMs, policy))!;
    await ledger.claimParts(key(), at(now + leaseMs), leaseMs, policy);

    const letters = await ledger.settleParts(
      claim,
      at(now + leaseMs + 50),
      [{ name: 'seller:b', attempt: 2 }],
      policy,
    );

    expect(letters).to.deep.equal([]);
    // Attempt 3 runs on: the part is neither done nor due until its lease ends.
    expect(await fulfilment()).to.deep.include({ state: 'retrying', lastError: 'HTTP 503' });
    expect(await due(now + 2 * leaseMs - 1)).to.deep.equal([]);
  });

  it('lists deliveries with a due part soonest first, at most the limit, of that subscriber only', async () => {
    const later = { ...delivery, eventId: `event-${randomUUID()}` };
    const sooner = { ...delivery, eventId: `event-${randomUUID()}` };
    const other = { ...delivery, subscriber: aContractSubscriber('other') };
    for (const [d, pushedAt] of [
      [later, 5_000],
      [sooner, 0],
      [other, 0],
    ] as const) {
      await ledger.begin(d, at(pushedAt), leaseMs);
      await ledger.settlePushedParts(d, at(pushedAt), {
        attempt: 1,
        message,
        outcomes: [{ name: 'seller:b', attempt: 1, error: 'HTTP 503' }],
        policy,
      });
    }

    const keys = await ledger.dueParts(delivery.subscriber, at(60_000), 10);
    expect(keys).to.deep.equal([
      { subscriber: delivery.subscriber, eventId: sooner.eventId },
      { subscriber: delivery.subscriber, eventId: later.eventId },
    ]);
    expect(await ledger.dueParts(delivery.subscriber, at(60_000), 1)).to.deep.equal([keys[0]]);
  });
}
