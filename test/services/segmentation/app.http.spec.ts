import { expect } from 'chai';
import request from 'supertest';
import { anOrderPlacedEvent, pushEnvelope } from '../../support/events.js';
import { aSegmentationService } from '../../support/services.js';

const path = '/pubsub/order-placed';
const customer = { id: 'customer-ada', email: 'ada@example.com' };

describe('segmentation service', () => {
  const first = anOrderPlacedEvent({
    data: { customer, totalCents: 2000, placedAt: '2025-03-01T10:00:00.000Z' },
  });
  const second = anOrderPlacedEvent({
    data: { customer, totalCents: 3000, placedAt: '2025-03-05T10:00:00.000Z' },
  });

  it('counts every order once under redelivery and out-of-order delivery', async () => {
    const s = aSegmentationService();
    const deliveries = [second, first, second, first, first];

    for (const event of deliveries) {
      await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    }

    expect(s.segments.segments.get(customer.id)).to.deep.equal({
      customerId: customer.id,
      orderCount: 2,
      totalSpentCents: { EUR: 5000 },
      firstOrderAt: '2025-03-01T10:00:00.000Z',
      lastOrderAt: '2025-03-05T10:00:00.000Z',
      segment: 'returning',
    });
  });

  it('counts an order once even when it comes again under another event id', async () => {
    const s = aSegmentationService();
    await request(s.app).post(path).send(pushEnvelope(first)).expect(204);
    await request(s.app)
      .post(path)
      .send(pushEnvelope({ ...first, id: 'replayed-event' }))
      .expect(204);

    expect(s.segments.segments.get(customer.id)?.orderCount).to.equal(1);
  });
});
