import { expect } from 'chai';
import request from 'supertest';
import { InMemoryOrderStreams } from '@orderflow/subscriber';
import {
  anOrderCancelledEvent,
  anOrderLine,
  anOrderPlacedEvent,
  aPartShippedEvent,
  pushEnvelope,
} from '../../support/events.js';
import { ManualClock } from '../../support/clock.js';
import { aNotificationService } from '../../support/services.js';

const placed = anOrderPlacedEvent({
  data: {
    customer: { id: 'customer-ada', email: 'ada@example.com' },
    lines: [anOrderLine({ name: 'Mug', quantity: 2, unitPriceCents: 1250 })],
  },
});
const cancelled = anOrderCancelledEvent(placed);

describe('notification service: the order after placed', () => {
  it('mails the cancellation with its refund', async () => {
    const s = aNotificationService();
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    expect(s.mailer.sent).to.have.length(1);
    expect(s.mailer.sent[0]).to.include({ to: 'ada@example.com' });
    expect(s.mailer.sent[0]?.text).to.include('2 × Mug').and.include('Refund: €25.00');
  });

  it('sends no confirmation after the cancellation mail, when order.placed comes late', async () => {
    const s = aNotificationService();
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    await request(s.app).post('/pubsub/order-placed').send(pushEnvelope(placed)).expect(204);
    expect(s.mailer.sent.map((m) => m.subject)).to.deep.equal([
      `Your order ${placed.data.orderId} is cancelled`,
    ]);
    expect(s.ledger.fulfilment.get(placed.data.orderId)?.notification?.state).to.equal('done');
  });

  it('holds the cancellation back while the confirmation is being sent, then sends it', async () => {
    const streams = new InMemoryOrderStreams();
    const clock = new ManualClock();
    const s = aNotificationService({ streams, clock: clock.now });
    const confirmation = { orderId: placed.data.orderId, stream: 'customer', sequence: 1 };
    await streams.claim({ ...confirmation, eventId: placed.id }, clock.now(), 60_000);
    const held = await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled));
    expect(held.status).to.be.greaterThanOrEqual(400);
    expect(s.mailer.sent).to.deep.equal([]);
    await streams.release({ ...confirmation, eventId: placed.id });
    await request(s.app).post('/pubsub/order-cancelled').send(pushEnvelope(cancelled)).expect(204);
    expect(s.mailer.sent).to.have.length(1);
  });

  it('mails the shipment with its tracking number', async () => {
    const s = aNotificationService();
    const shipped = aPartShippedEvent(placed, placed.data.lines[0]!.sellerId, 'TRK-7');
    await request(s.app).post('/pubsub/order-part-shipped').send(pushEnvelope(shipped)).expect(204);
    expect(s.mailer.sent[0]?.text).to.include('Tracking number: TRK-7');
  });
});
