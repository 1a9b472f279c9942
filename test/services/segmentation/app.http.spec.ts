import { expect } from 'chai';
import request from 'supertest';
import { customerSegmentChangedType } from '@orderflow/events';
import { defaultRelaySettings, relayPath } from '@orderflow/outbox';
import { eventually } from '../../support/async.js';
import { anOrderPlacedEvent, pushEnvelope, type OrderPlacedEvent } from '../../support/events.js';
import type { Published } from '../../support/publisher.js';
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

  describe('customer.segment-changed.v1', () => {
    const orders = [1, 2, 3].map((day) =>
      anOrderPlacedEvent({
        data: { customer, totalCents: 1000, placedAt: `2025-03-0${day}T10:00:00.000Z` },
      }),
    );
    const changes = (published: readonly Published[]) =>
      published.map(({ event }) =>
        event.type === customerSegmentChangedType
          ? [event.data.previousSegment, event.data.segment]
          : [],
      );

    it('publishes each label change once, recorded in the outbox, under redelivery and reordering', async () => {
      const s = aSegmentationService();
      const [a, b, c] = orders as [OrderPlacedEvent, OrderPlacedEvent, OrderPlacedEvent];
      for (const event of [b, a, b, c, a, c]) {
        await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
      }

      expect(changes(s.publisher.published)).to.deep.equal([
        [null, 'new'],
        ['new', 'returning'],
        ['returning', 'loyal'],
      ]);
      const ids = s.publisher.published.map((p) => p.event.id);
      expect(new Set(ids).size).to.equal(3);
      expect([...s.segments.outbox.keys()]).to.have.members(ids);
      await eventually(() => [...s.segments.outbox.values()].every((e) => e.publishedAt));
    });

    it('derives the event id from the customer and the label, so a recount yields the same id', async () => {
      const first = aSegmentationService();
      const second = aSegmentationService();
      for (const s of [first, second]) {
        await request(s.app).post(path).send(pushEnvelope(orders[0]!)).expect(204);
      }
      expect(first.publisher.published[0]?.event.id).to.equal(
        second.publisher.published[0]?.event.id,
      );
    });

    it('leaves a change it could not publish to the relay, which publishes it', async () => {
      const s = aSegmentationService();
      s.publisher.failWith = new Error('Pub/Sub unavailable');
      await request(s.app).post(path).send(pushEnvelope(orders[0]!)).expect(204);
      expect(s.publisher.published).to.have.length(0);
      expect([...s.segments.outbox.values()].map((e) => e.publishedAt)).to.deep.equal([undefined]);

      s.publisher.failWith = undefined;
      await request(s.app)
        .post(relayPath)
        .expect(200, { published: 0, failed: 0, setAside: 0, deferred: 0 });
      s.clock.advance(defaultRelaySettings.graceMs);
      await request(s.app)
        .post(relayPath)
        .expect(200, { published: 1, failed: 0, setAside: 0, deferred: 0 });
      expect(changes(s.publisher.published)).to.deep.equal([[null, 'new']]);
    });
  });
});
