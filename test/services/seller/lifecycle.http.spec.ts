import { expect } from 'chai';
import request from 'supertest';
import { aSeller } from '../../support/catalog.js';
import {
  anOrderCancelledEvent,
  anOrderLine,
  anOrderPlacedEvent,
  pushEnvelope,
} from '../../support/events.js';
import { aSellerService } from '../../support/services.js';

const pottery = aSeller({ id: 'pottery', webhookUrl: 'https://pottery.test/hooks' });
const paper = aSeller({ id: 'paper', email: 'orders@paper.example' });
const placed = anOrderPlacedEvent({
  data: {
    lines: [
      anOrderLine({ productId: 'mug', sellerId: 'pottery' }),
      anOrderLine({ productId: 'card', sellerId: 'paper' }),
    ],
  },
});
const cancelled = anOrderCancelledEvent(placed);

describe('seller service: the customer cancels', () => {
  it('tells each seller with its own order.cancelled webhook, or by mail without one', async () => {
    const s = aSellerService([pottery, paper]);
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    expect(
      s.webhooks.delivered.map((w) => [w.id, (w.payload as { type: string }).type]),
    ).to.deep.equal([[`msg_${cancelled.id}_pottery`, 'order.cancelled']]);
    expect(s.mailer.sent.map((m) => [m.to, m.subject])).to.deep.equal([
      ['orders@paper.example', `Order ${placed.data.orderId} is cancelled: do not ship it`],
    ]);
  });

  it('never sends the new-order webhook after the cancellation, when order.placed comes late', async () => {
    const s = aSellerService([pottery, paper]);
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    await request(s.app).post('/pubsub/order-placed').send(pushEnvelope(placed)).expect(204);
    expect(s.webhooks.delivered.map((w) => (w.payload as { type: string }).type)).to.deep.equal([
      'order.cancelled',
    ]);
    expect(s.mailer.sent).to.have.length(1);
    expect(s.ledger.fulfilment.get(placed.data.orderId)?.seller?.state).to.equal('done');
  });

  it('tells the cancellation after the new order when they come in order', async () => {
    const s = aSellerService([pottery, paper]);
    await request(s.app).post('/pubsub/order-placed').send(pushEnvelope(placed)).expect(204);
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    expect(s.webhooks.delivered.map((w) => (w.payload as { type: string }).type)).to.deep.equal([
      'order.placed',
      'order.cancelled',
    ]);
  });
});
