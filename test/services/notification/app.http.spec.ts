import { expect } from 'chai';
import request from 'supertest';
import { anOrderPlacedEvent, aSegmentChangedEvent, pushEnvelope } from '../../support/events.js';
import { expectProblem } from '../../support/problem.js';
import { aNotificationService } from '../../support/services.js';

const path = '/pubsub/order-placed';

describe('notification service', () => {
  const event = anOrderPlacedEvent({
    data: { customer: { id: 'customer-ada', email: 'ada@example.com' } },
  });

  it('mails the order confirmation to the customer, then answers 204', async () => {
    const s = aNotificationService();

    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);

    expect(s.mailer.sent).to.have.length(1);
    expect(s.mailer.sent[0]).to.include({
      to: 'ada@example.com',
      messageId: `<${event.id}.notification@orderflow>`,
    });
    expect(s.mailer.sent[0]?.text).to.include(event.data.orderId);
    expect(s.ledger.fulfilment.get(event.data.orderId)?.notification?.state).to.equal('done');
  });

  it('sends one mail however often the event is delivered', async () => {
    const s = aNotificationService();
    for (let i = 0; i < 3; i++)
      await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    expect(s.mailer.sent).to.have.length(1);
  });

  it('answers 503 while the mail server fails, and sends once it is back', async () => {
    const s = aNotificationService();
    s.mailer.failWith = new Error('421 service not available');

    expectProblem(await request(s.app).post(path).send(pushEnvelope(event)), 503, 'effect-failed');
    expect(s.ledger.fulfilment.get(event.data.orderId)?.notification).to.include({
      state: 'retrying',
      attempts: 1,
      lastError: '421 service not available',
    });

    s.mailer.failWith = undefined;
    await request(s.app).post(path).send(pushEnvelope(event)).expect(204);
    expect(s.mailer.sent).to.have.length(1);
  });

  describe('VIP welcome', () => {
    const vipPath = '/pubsub/customer-segment-changed';

    it('mails a customer who becomes vip, once however often the change is delivered', async () => {
      const s = aNotificationService();
      const change = aSegmentChangedEvent({
        segment: 'vip',
        previousSegment: 'loyal',
        orderCount: 10,
      });
      for (let i = 0; i < 2; i++) {
        await request(s.app).post(vipPath).send(pushEnvelope(change)).expect(204);
      }
      expect(s.mailer.sent).to.have.length(1);
      expect(s.mailer.sent[0]).to.include({
        to: 'ada@example.com',
        subject: 'Welcome to our VIP customers',
        messageId: `<${change.id}.vip-welcome@orderflow>`,
      });
    });

    it('mails no one for a change to another label', async () => {
      const s = aNotificationService();
      await request(s.app).post(vipPath).send(pushEnvelope(aSegmentChangedEvent())).expect(204);
      expect(s.mailer.sent).to.have.length(0);
    });
  });
});
