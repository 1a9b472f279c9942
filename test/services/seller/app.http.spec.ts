import { expect } from 'chai';
import request from 'supertest';
import { noticesBySeller, webhookPayload } from '@orderflow/seller/domain/seller-notice';
import { firstSecret, rotate } from '@orderflow/seller/domain/secret-rotation';
import { aSeller } from '../../support/catalog.js';
import { ManualClock } from '../../support/clock.js';
import { anOrderLine, anOrderPlacedEvent, pushEnvelope } from '../../support/events.js';
import { aSellerService } from '../../support/services.js';

const path = '/pubsub/order-placed';
const sweepPath = '/internal/parts/retry';
const nothing = { deliveries: 0, attempts: 0, done: 0, retrying: 0, deadLettered: 0, failed: 0 };

const pottery = aSeller({ id: 'pottery', webhookUrl: 'https://pottery.test/hooks' });
const wool = aSeller({ id: 'wool', webhookUrl: 'https://wool.test/hooks' });
const paper = aSeller({ id: 'paper', email: 'orders@paper.example' });

const event = anOrderPlacedEvent({
  id: 'evt-42',
  data: {
    lines: [
      anOrderLine({ productId: 'mug', sellerId: 'pottery' }),
      anOrderLine({ productId: 'scarf', sellerId: 'wool', unitPriceCents: 4500 }),
      anOrderLine({ productId: 'card', sellerId: 'paper', unitPriceCents: 300 }),
      anOrderLine({ productId: 'bowl', sellerId: 'pottery', quantity: 2 }),
    ],
  },
});
const notice = (sellerId: string) =>
  noticesBySeller(event.data).find((n) => n.sellerId === sellerId)!;

describe('seller service', () => {
  it('posts each webhook seller its own lines, with a webhook id per event and seller', async () => {
    const s = aSellerService([pottery, wool, paper]);

    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);

    const sent = s.webhooks.delivered.map(({ url, id, payload }) => ({ url, id, payload }));
    expect(sent).to.deep.equal([
      {
        url: pottery.webhookUrl,
        id: 'msg_evt-42_pottery',
        payload: webhookPayload(notice('pottery')),
      },
      { url: wool.webhookUrl, id: 'msg_evt-42_wool', payload: webhookPayload(notice('wool')) },
    ]);
    expect(notice('pottery').lines.map((l) => l.productId)).to.deep.equal(['mug', 'bowl']);
  });

  it('signs with each seller’s own secret versions: old and new while a rotation overlaps', async () => {
    const clock = new ManualClock();
    const rotated = { ...pottery, signing: rotate(firstSecret, clock.now(), 60_000) };
    const s = aSellerService([rotated, wool, paper], { clock: clock.now });

    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    clock.advance(60_000);
    await request(s.app)
      .post(path)
      .send(pushEnvelope(anOrderPlacedEvent({ data: event.data })))
      .expect(204);

    const signing = s.webhooks.delivered.map(({ sellerId, secretVersions }) => [
      sellerId,
      secretVersions,
    ]);
    expect(signing).to.deep.equal([
      ['pottery', [2, 1]],
      ['wool', [1]],
      ['pottery', [2]],
      ['wool', [1]],
    ]);
  });

  it('mails a seller without a webhook', async () => {
    const s = aSellerService([pottery, wool, paper]);

    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);

    expect(s.mailer.sent).to.have.length(1);
    expect(s.mailer.sent[0]).to.include({
      to: 'orders@paper.example',
      messageId: '<evt-42.paper.seller@orderflow>',
    });
    expect(s.webhooks.attempts.map((m) => m.id)).not.to.include('msg_evt-42_paper');
  });

  it('tells no seller twice when the event is delivered again', async () => {
    const s = aSellerService([pottery, wool, paper]);
    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    expect(s.webhooks.attempts).to.have.length(2);
    expect(s.mailer.sent).to.have.length(1);
  });

  it('acknowledges the push when a seller fails, and the sweep retries only that seller', async () => {
    const clock = new ManualClock();
    const s = aSellerService([pottery, wool, paper], { clock: clock.now });
    s.webhooks.failing.add(wool.webhookUrl!);

    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    expect(s.ledger.fulfilment.get(event.data.orderId)?.seller).to.include({
      state: 'retrying',
      attempts: 1,
    });
    // Not due yet: the sweep sends nothing.
    await request(s.app)
      .post(sweepPath)
      .expect(200, { ...nothing });
    expect(s.webhooks.attempts).to.have.length(2);

    s.webhooks.failing.clear();
    clock.advance(2_000);
    await request(s.app)
      .post(sweepPath)
      .expect(200, { ...nothing, deliveries: 1, attempts: 1, done: 1 });

    expect(s.webhooks.attempts.map((m) => m.id)).to.deep.equal([
      'msg_evt-42_pottery',
      'msg_evt-42_wool',
      'msg_evt-42_wool',
    ]);
    expect(s.mailer.sent).to.have.length(1);
    expect(s.ledger.fulfilment.get(event.data.orderId)?.seller).to.include({
      state: 'done',
      attempts: 2,
    });
  });

  it('dead-letters a seller that fails every attempt, and that seller only', async () => {
    const clock = new ManualClock();
    const s = aSellerService([pottery, wool, paper], { clock: clock.now });
    s.webhooks.failing.add(wool.webhookUrl!);
    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    // Three attempts (the push's and two sweeps'), at most 4 s apart.
    for (let i = 0; i < 2; i += 1) {
      clock.advance(5_000);
      await request(s.app).post(sweepPath).expect(200);
    }
    expect([...s.ledger.deadLetters.values()]).to.deep.include.members([
      {
        ...s.ledger.deadLetters.get('seller_evt-42~seller:wool'),
        key: 'evt-42~seller:wool',
        part: 'seller:wool',
        state: 'dead-lettered',
        attempts: 3,
      },
    ]);
    expect(s.ledger.deadLetters.size).to.equal(1);
    expect(s.ledger.fulfilment.get(event.data.orderId)?.seller).to.include({
      state: 'dead-lettered',
      attempts: 3,
    });
    clock.advance(60_000);
    await request(s.app)
      .post(sweepPath)
      .expect(200, { ...nothing });
    expect(s.webhooks.attempts.map((m) => m.id)).to.deep.equal([
      'msg_evt-42_pottery',
      'msg_evt-42_wool',
      'msg_evt-42_wool',
      'msg_evt-42_wool',
    ]);
  });

  it('retries a seller missing from the directory like a failing one', async () => {
    const s = aSellerService([pottery, wool]);
    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    expect(s.ledger.fulfilment.get(event.data.orderId)?.seller).to.include({
      state: 'retrying',
    });
    expect(s.ledger.fulfilment.get(event.data.orderId)?.seller?.lastError).to.include('paper');
  });
});
