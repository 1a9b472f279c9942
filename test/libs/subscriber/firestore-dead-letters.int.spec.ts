import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { fulfilmentCollection } from '@orderflow/events';
import {
  deadLetterRef,
  deliveryRef,
  FirestoreDeadLetters,
  FirestoreDeliveryLedger,
  replayAttribute,
  type DeadLetterRecord,
  type DeliveryContext,
} from '@orderflow/subscriber';
import { firestore } from '../../system/support/clients.js';
import { aDeadLetter } from '../../support/subscriber.js';
import { aContractSubscriber, removeContractDocuments } from './contract-subscribers.js';

const leaseMs = 30_000;

/**
 * The replay's claim against the delivery it resets: never while an attempt runs, never a
 * delivery that is done, once per dead letter.
 */
describe('FirestoreDeadLetters, on the Firestore emulator', () => {
  let ledger: FirestoreDeliveryLedger;
  let letters: FirestoreDeadLetters;
  let delivery: DeliveryContext;
  let record: DeadLetterRecord;
  const fulfilment = async () =>
    (
      await firestore()
        .collection(fulfilmentCollection(delivery.orderId))
        .doc(delivery.subscriber)
        .get()
    ).data();
  const deliveryDoc = async () => (await deliveryRef(firestore(), delivery).get()).data();
  after(() => removeContractDocuments(firestore()));
  const listed = async () => (await letters.list(delivery.subscriber)).map((l) => l.key);

  /** The dead letter of a replayed message: it carries the replay's attribute. */
  const replayedDeadLetter = (replay: string, sourceMessageId: string): DeadLetterRecord => ({
    ...record,
    message: {
      ...record.message,
      attributes: { ...record.message.attributes, [replayAttribute]: replay },
    },
    sourceMessageId,
  });

  beforeEach(async () => {
    ledger = new FirestoreDeliveryLedger(firestore());
    letters = new FirestoreDeadLetters(firestore());
    // A subscriber of this test alone, so that `list` shows only its dead letters.
    delivery = {
      subscriber: aContractSubscriber('notification'),
      eventId: `event-${randomUUID()}`,
      orderId: `order-${randomUUID()}`,
      eventType: 'order.placed.v1',
    };
    record = aDeadLetter(delivery, new Date());
    // As Pub/Sub gives up: an attempt failed, then the dead letter reached the recorder.
    await ledger.begin(delivery, new Date(), leaseMs);
    await ledger.fail(delivery, new Date(), { error: 'HTTP 500', attempt: 1 });
    expect(await ledger.recordDeadLetter(record, new Date())).to.equal('recorded');
  });

  it('refuses a replay while an attempt holds the delivery’s lease, and changes nothing', async () => {
    // Pub/Sub dead-letters on a best-effort basis: a copy of the message may still be pushed.
    await ledger.begin(delivery, new Date(), leaseMs);
    const before = { delivery: await deliveryDoc(), fulfilment: await fulfilment() };

    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('busy');

    expect(await deliveryDoc()).to.deep.equal(before.delivery);
    expect(await fulfilment()).to.deep.equal(before.fulfilment);
    expect(await listed()).to.deep.equal([record.key]);
  });

  it('never sets a delivery that is done back to pending: the dead letter is settled instead', async () => {
    await ledger.begin(delivery, new Date(), leaseMs);
    await ledger.complete(delivery, new Date(), 3);

    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('done');

    expect(await deliveryDoc()).to.include({ state: 'done' });
    expect(await fulfilment()).to.include({ state: 'done', attempts: 3 });
    expect(await listed()).to.deep.equal([]);
  });

  it('claims a dead letter once: the delivery starts afresh, the order pending, a second replay finds it taken', async () => {
    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('claimed');

    expect(await deliveryDoc()).to.include({ state: 'replaying', attempts: 0, leaseUntil: 0 });
    expect(await fulfilment()).to.include({ state: 'pending', attempts: 0 });
    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('taken');
    // The next push of the replayed message is attempt 1 again.
    expect(await ledger.begin(delivery, new Date(), leaseMs)).to.include({ attempt: 1 });
  });

  it('gives a claim whose replay died back after its time, and a published one to no one', async () => {
    const quick = new FirestoreDeadLetters(firestore(), 0);
    expect(await quick.claim(record, new Date(), 'replay-1')).to.equal('claimed');
    expect(await listed()).to.deep.equal([record.key]);

    expect(await quick.claim(record, new Date(), 'replay-1')).to.equal('claimed');
    await quick.finish(record, new Date());
    expect(await quick.claim(record, new Date(), 'replay-1')).to.equal('taken');
    expect(await listed()).to.deep.equal([]);
  });

  it('lists again the dead letter of a replay none of whose pushes reached the subscriber', async () => {
    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('claimed');
    await letters.finish(record, new Date());
    // Every push of the replay failed before the ledger (a revision answering 5xx): Pub/Sub
    // dead-letters the replayed message, which carries its replay.
    const again = replayedDeadLetter('replay-1', 'dead-letter-2');

    expect(await ledger.recordDeadLetter(again, new Date())).to.equal('recorded');

    expect(await listed()).to.deep.equal([record.key]);
    expect(await fulfilment()).to.include({ state: 'dead-lettered' });
  });

  it('takes a copy of the first dead letter, during or after a replay, for old news', async () => {
    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('claimed');
    await letters.finish(record, new Date());
    // Pub/Sub dead-letters best effort: the original message, dead-lettered a second time.
    const copy = { ...record, sourceMessageId: 'dead-letter-copy' };

    expect(await ledger.recordDeadLetter(copy, new Date())).to.equal('stale');

    expect(await listed()).to.deep.equal([]);
    expect(await deliveryDoc()).to.include({ state: 'replaying', replay: 'replay-1' });
  });

  it('never lets a repeated dead letter free a replay attempt’s lease: the effect runs once', async () => {
    expect(await letters.claim(record, new Date(), 'replay-1')).to.equal('claimed');
    await letters.finish(record, new Date());
    expect(await ledger.begin(delivery, new Date(), leaseMs)).to.include({ status: 'acquired' });

    // Pub/Sub pushes the dead letter recorded before the replay once more.
    expect(await ledger.recordDeadLetter(record, new Date())).to.equal('stale');

    // A duplicate push of the replayed message is still refused while the attempt runs.
    expect(await ledger.begin(delivery, new Date(), leaseMs)).to.deep.equal({ status: 'busy' });
    expect(await listed()).to.deep.equal([]);
  });

  it('records, when it is replayed, a delivery none of whose pushes reached the ledger', async () => {
    const unseen = { ...delivery, eventId: `event-${randomUUID()}` };
    const letter = aDeadLetter(unseen, new Date());
    expect(await ledger.recordDeadLetter(letter, new Date())).to.equal('recorded');

    expect(await letters.claim(letter, new Date(), 'replay-1')).to.equal('claimed');

    expect((await deliveryRef(firestore(), unseen).get()).data()).to.include({
      state: 'replaying',
      attempts: 0,
      replay: 'replay-1',
      orderId: unseen.orderId,
    });
  });

  it('requeues only a dead-lettered part, and settles the letter of a part done since', async () => {
    const parted = { ...delivery, eventId: `event-${randomUUID()}` };
    const policy = { maxAttempts: 1, minBackoffMs: 1000, maxBackoffMs: 1000 };
    await ledger.begin(parted, new Date(), leaseMs);
    await ledger.settlePushedParts(parted, new Date(), {
      attempt: 1,
      message: { data: '{}', attributes: { 'ce-id': parted.eventId } },
      outcomes: [
        { name: 'seller:a', attempt: 1 },
        { name: 'seller:b', attempt: 1, error: 'HTTP 503' },
      ],
      policy,
    });
    const letterOf = async (part: string) =>
      (
        await deadLetterRef(firestore(), parted.subscriber, `${parted.eventId}~${part}`).get()
      ).data() as DeadLetterRecord;
    const dead = await letterOf('seller:b');
    expect(dead).to.include({ state: 'dead-lettered', part: 'seller:b' });

    expect(await letters.claim(dead, new Date(), 'replay-1')).to.equal('requeued');
    const parts = (await deliveryRef(firestore(), parted).get()).get('parts') as Record<
      string,
      unknown
    >;
    expect(parts['seller:a']).to.deep.equal({ state: 'done', attempts: 1 });
    expect(parts['seller:b']).to.include({ state: 'retrying', attempts: 0 });
    expect(await letters.claim(dead, new Date(), 'replay-1')).to.equal('taken');

    // A stale letter of a part that is done since (written again, as a second copy would be).
    const done = { ...dead, key: `${parted.eventId}~seller:a`, part: 'seller:a' };
    await deadLetterRef(firestore(), done.subscriber, done.key).set(done);
    expect(await letters.claim(done, new Date(), 'replay-1')).to.equal('done');
    const after = (await deliveryRef(firestore(), parted).get()).get('parts') as typeof parts;
    expect(after['seller:a']).to.deep.equal({ state: 'done', attempts: 1 });
  });
});
