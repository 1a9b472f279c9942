import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'chai';
import request from 'supertest';
import { orderPlacedType, type CloudEvent } from '@orderflow/events';
import {
  createSubscriberApp,
  route,
  InMemoryDeadLetterSink,
  InMemoryDeliveryLedger,
  type Delivery,
  type Effect,
} from '@orderflow/subscriber';
import { deadLetterPushPathOf } from '@orderflow/topology';
import { deferred, eventually } from '../../support/async.js';
import { ManualClock } from '../../support/clock.js';
import { anOrderPlacedEvent, aSegmentChangedEvent, pushEnvelope } from '../../support/events.js';
import { capturingLogger } from '../../support/logger.js';
import { expectProblem, invalidParamNames } from '../../support/problem.js';
import { subscriberDeps } from '../../support/subscriber.js';
import { recordTelemetry } from '../../support/tracing.js';

const path = '/pubsub/order-placed';
const maxDeliveryAttempts = 5;
const leaseMs = 30_000;
const subscriptionPath = 'projects/test-project/subscriptions/order-placed.v1.kit-test';

/** A subscriber app around one effect, with everything it touched in reach. */
function aSubscriber(effect: Effect) {
  const ledger = new InMemoryDeliveryLedger();
  const deadLetters = new InMemoryDeadLetterSink();
  const clock = new ManualClock();
  const { logger, lines } = capturingLogger();
  const deliveries: Delivery[] = [];
  const app = createSubscriberApp(
    {
      [path]: route('kit-test', orderPlacedType, async (delivery) => {
        deliveries.push(delivery);
        await effect(delivery);
      }),
    },
    subscriberDeps({ ledger, deadLetters, clock: clock.now, logger, maxDeliveryAttempts, leaseMs }),
  );
  const push = (body: unknown) =>
    request(app)
      .post(path)
      .send(body as object);
  const deadLetter = (body: unknown) =>
    request(app)
      .post(deadLetterPushPathOf('kit-test'))
      .send(body as object);
  const fulfilment = (event: CloudEvent) => ledger.fulfilment.get(event.data.orderId)?.['kit-test'];
  return { app, ledger, deadLetters, clock, lines, deliveries, push, deadLetter, fulfilment };
}

/** The event as Pub/Sub pushes it from the dead-letter topic: its attributes and the count. */
function deadLetterEnvelope(event: CloudEvent, deliveryCount: number, traceparent?: string) {
  return pushEnvelope(event, {
    traceparent,
    attributes: {
      CloudPubSubDeadLetterSourceDeliveryCount: String(deliveryCount),
      CloudPubSubDeadLetterSourceSubscription: 'order-placed.v1.kit-test',
    },
    subscription: 'projects/test-project/subscriptions/order-placed.v1.kit-test.dead-letter',
  });
}

const succeed: Effect = () => Promise.resolve();

describe('subscriber kit: push handler', () => {
  it('answers 204 once the effect succeeded, and records the fulfilment done', async () => {
    const s = aSubscriber(succeed);
    const event = anOrderPlacedEvent();

    await s.push(pushEnvelope(event)).expect(204);

    expect(s.deliveries).to.have.length(1);
    expect(s.deliveries[0]?.event).to.deep.equal(event);
    expect(s.deliveries[0]?.attempt).to.equal(1);
    expect(s.fulfilment(event)).to.deep.equal({
      state: 'done',
      eventId: event.id,
      attempts: 1,
      updatedAt: s.clock.now().toISOString(),
    });
  });

  it('runs the effect once when the same event is delivered again', async () => {
    const s = aSubscriber(succeed);
    const event = anOrderPlacedEvent();

    await s.push(pushEnvelope(event, { messageId: 'm-1' })).expect(204);
    await s.push(pushEnvelope(event, { messageId: 'm-2' })).expect(204);
    await s.push(pushEnvelope(event, { messageId: 'm-1' })).expect(204);

    expect(s.deliveries).to.have.length(1);
  });

  it('runs the effect of each distinct event', async () => {
    const s = aSubscriber(succeed);
    await s.push(pushEnvelope(anOrderPlacedEvent())).expect(204);
    await s.push(pushEnvelope(anOrderPlacedEvent())).expect(204);
    expect(s.deliveries).to.have.length(2);
  });

  it('answers 409 to a concurrent delivery while the first holds the lease', async () => {
    const gate = deferred();
    const s = aSubscriber(() => gate.promise);
    const event = anOrderPlacedEvent();

    const first = s.push(pushEnvelope(event)).then((res) => res);
    await eventually(() => s.deliveries.length === 1);

    expectProblem(await s.push(pushEnvelope(event)), 409, 'delivery-in-progress');
    gate.resolve();
    expect((await first).status).to.equal(204);
    await s.push(pushEnvelope(event)).expect(204);
    expect(s.deliveries).to.have.length(1);
  });

  it('lets a redelivery take over once the lease of a stuck attempt ran out', async () => {
    const stuck = deferred();
    let calls = 0;
    const s = aSubscriber(() => (++calls === 1 ? stuck.promise : Promise.resolve()));
    const event = anOrderPlacedEvent();

    const first = s.push(pushEnvelope(event)).then((res) => res);
    await eventually(() => calls === 1);
    s.clock.advance(leaseMs + 1);

    await s.push(pushEnvelope(event)).expect(204);
    expect(s.deliveries.map((d) => d.attempt)).to.deep.equal([1, 2]);
    stuck.resolve();
    await first;
  });

  describe('when the effect fails', () => {
    const failing: Effect = () => Promise.reject(new Error('smtp 451 try later'));

    it('answers 503 and records the fulfilment retrying, with attempts and the last error', async () => {
      const s = aSubscriber(failing);
      const event = anOrderPlacedEvent();

      const problem = expectProblem(await s.push(pushEnvelope(event)), 503, 'effect-failed');
      expect(problem).to.include({ attempt: 1 });
      s.clock.advance(1_000);
      expectProblem(await s.push(pushEnvelope(event)), 503, 'effect-failed');

      expect(s.fulfilment(event)).to.deep.equal({
        state: 'retrying',
        eventId: event.id,
        attempts: 2,
        lastError: 'smtp 451 try later',
        updatedAt: s.clock.now().toISOString(),
      });
    });

    it(`stays retrying through attempt ${maxDeliveryAttempts}, dead-lettered once the dead letter is recorded`, async () => {
      const s = aSubscriber(failing);
      const event = anOrderPlacedEvent();
      const states: string[] = [];

      for (let attempt = 1; attempt <= maxDeliveryAttempts; attempt++) {
        expectProblem(await s.push(pushEnvelope(event)), 503, 'effect-failed');
        states.push(`${s.fulfilment(event)?.state} ${s.fulfilment(event)?.attempts}`);
      }
      expect(states).to.deep.equal([
        'retrying 1',
        'retrying 2',
        'retrying 3',
        'retrying 4',
        'retrying 5',
      ]);
      expect(s.ledger.deadLetters.size).to.equal(0);

      await s.deadLetter(deadLetterEnvelope(event, maxDeliveryAttempts)).expect(204);
      expect(s.fulfilment(event)).to.deep.include({
        state: 'dead-lettered',
        attempts: maxDeliveryAttempts,
        lastError: 'smtp 451 try later',
      });
      expect([...s.ledger.deadLetters.values()]).to.have.length(1);
      expect(s.ledger.deadLetters.get(`kit-test_${event.id}`)).to.deep.include({
        eventId: event.id,
        orderId: event.data.orderId,
        state: 'dead-lettered',
        reason: 'smtp 451 try later',
      });
      expect(s.lines.filter((l) => l.message === 'dead letter recorded')).to.have.length(1);
    });

    it("trusts Pub/Sub's deliveryAttempt when it is ahead of the ledger", async () => {
      const s = aSubscriber(failing);
      const event = anOrderPlacedEvent();

      await s.push(pushEnvelope(event, { deliveryAttempt: maxDeliveryAttempts }));

      expect(s.deliveries[0]?.attempt).to.equal(maxDeliveryAttempts);
      expect(s.lines.map((l) => l.message)).to.include('effect failed on the last attempt');
    });

    it("keeps its own count when Pub/Sub's deliveryAttempt is behind it", async () => {
      const s = aSubscriber(failing);
      const event = anOrderPlacedEvent();

      // The replay subscription counts from 1 again while the ledger remembers earlier attempts.
      for (let attempt = 1; attempt < maxDeliveryAttempts; attempt++) {
        await s.push(pushEnvelope(event)).expect(503);
      }
      await s.push(pushEnvelope(event, { deliveryAttempt: 1 })).expect(503);

      expect(s.deliveries.map((d) => d.attempt)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(s.lines.map((l) => l.message)).to.include('effect failed on the last attempt');
    });

    it('records it done when a retry succeeds', async () => {
      let calls = 0;
      const s = aSubscriber(() =>
        ++calls < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve(),
      );
      const event = anOrderPlacedEvent();

      await s.push(pushEnvelope(event)).expect(503);
      await s.push(pushEnvelope(event)).expect(503);
      await s.push(pushEnvelope(event)).expect(204);

      expect(s.fulfilment(event)).to.deep.include({ state: 'done', attempts: 3 });
      expect(s.fulfilment(event)).not.to.have.property('lastError');
    });
  });

  describe('step()', () => {
    it('skips the steps an earlier attempt completed', async () => {
      const ran: string[] = [];
      let failB = true;
      const s = aSubscriber(async ({ step }) => {
        await step('a', () => {
          ran.push('a');
          return Promise.resolve();
        });
        await step('b', () => {
          ran.push('b');
          return failB ? Promise.reject(new Error('b failed')) : Promise.resolve();
        });
      });
      const event = anOrderPlacedEvent();

      await s.push(pushEnvelope(event)).expect(503);
      failB = false;
      await s.push(pushEnvelope(event)).expect(204);

      expect(ran).to.deep.equal(['a', 'b', 'b']);
    });

    it('keeps the steps of one event apart from another', async () => {
      const ran: string[] = [];
      const s = aSubscriber(({ event, step }) =>
        step('only', () => {
          ran.push(event.id);
          return Promise.resolve();
        }),
      );
      const [one, two] = [anOrderPlacedEvent(), anOrderPlacedEvent()];
      await s.push(pushEnvelope(one)).expect(204);
      await s.push(pushEnvelope(two)).expect(204);
      expect(ran).to.deep.equal([one.id, two.id]);
    });
  });

  describe('an invalid push', () => {
    const event = anOrderPlacedEvent();
    const valid = pushEnvelope(event);
    const cases: { name: string; body: unknown; fields?: string[] }[] = [
      { name: 'an empty body', body: {}, fields: ['message', 'subscription'] },
      {
        name: 'a message without id',
        body: { ...valid, message: { ...valid.message, messageId: undefined } },
        fields: ['message.messageId'],
      },
      {
        name: 'data that is not base64',
        body: { ...valid, message: { ...valid.message, data: '{not base64}' } },
        fields: ['message.data'],
      },
      {
        name: 'a non-text attribute',
        body: { ...valid, message: { ...valid.message, attributes: { 'ce-id': 7 } } },
        fields: ['message.attributes.ce-id'],
      },
    ];

    for (const { name, body, fields } of cases) {
      it(`answers 400 to ${name}, without running the effect`, async () => {
        const s = aSubscriber(succeed);
        const problem = expectProblem(await s.push(body), 400, 'invalid-event');
        if (fields) expect(invalidParamNames(problem)).to.include.members(fields);
        expect(s.deliveries).to.have.length(0);
        expect(s.ledger.entries.size).to.equal(0);
      });
    }
  });

  describe('a message that is not a valid event', () => {
    const event = anOrderPlacedEvent();
    const valid = pushEnvelope(event);
    const cases = [
      {
        name: 'an unknown event type',
        body: pushEnvelope(event, { attributes: { 'ce-type': 'order.placed.v2' } }),
        reason: 'unknown event type order.placed.v2',
      },
      {
        name: 'no CloudEvent attributes',
        body: { ...valid, message: { ...valid.message, attributes: {} } },
        reason: 'not a CloudEvent',
      },
      {
        name: 'event data that is not JSON',
        body: pushEnvelope(event, { data: 'order placed!' }),
        reason: 'not JSON',
      },
      {
        name: 'event data that breaks the schema',
        body: pushEnvelope(event, { data: JSON.stringify({ ...event.data, lines: [] }) }),
        reason: 'invalid order.placed.v1 data',
      },
      {
        name: 'a valid event of a type the route does not hear',
        body: pushEnvelope(aSegmentChangedEvent()),
        reason: 'kit-test expects order.placed.v1, not customer.segment-changed.v1',
      },
    ];

    for (const { name, body, reason } of cases) {
      it(`moves ${name} to the dead-letter topic with its reason, acknowledged, without running the effect`, async () => {
        const s = aSubscriber(succeed);
        await s.push(body).expect(204);
        expect(s.deadLetters.sent).to.have.length(1);
        expect(s.deadLetters.sent[0]).to.deep.include({ subscriber: 'kit-test' });
        expect(s.deadLetters.sent[0]!.reason).to.contain(reason);
        expect(s.deliveries).to.have.length(0);
        expect(s.ledger.entries.size).to.equal(0);
      });
    }

    it('fails the push when the dead-letter topic cannot take it, so Pub/Sub retries', async () => {
      const s = aSubscriber(succeed);
      s.deadLetters.send = () => Promise.reject(new Error('Pub/Sub unavailable'));
      await s.push(cases[0]!.body).expect(500);
      expect(s.deliveries).to.have.length(0);
    });
  });

  describe('the dead-letter recorder', () => {
    it('records a refused message with its reason and the original attributes, no order touched', async () => {
      const s = aSubscriber(succeed);
      const event = anOrderPlacedEvent();
      const refused = pushEnvelope(event, {
        attributes: { 'ce-type': 'order.placed.v2', 'orderflow-rejection-reason': 'unknown type' },
      });

      await s.deadLetter(refused).expect(204);

      const [record] = [...s.ledger.deadLetters.values()];
      expect(record).to.deep.include({
        eventId: event.id,
        orderId: undefined,
        reason: 'unknown type',
      });
      expect(record!.message.attributes).to.not.have.property('orderflow-rejection-reason');
      expect(record!.message.attributes).to.include({ 'ce-type': 'order.placed.v2' });
      expect(s.fulfilment(event)).to.equal(undefined);
    });

    it('records a dead letter pushed twice once', async () => {
      const s = aSubscriber(() => Promise.reject(new Error('down')));
      const event = anOrderPlacedEvent();
      await s.push(pushEnvelope(event)).expect(503);

      await s.deadLetter(deadLetterEnvelope(event, 5)).expect(204);
      await s.deadLetter(deadLetterEnvelope(event, 5)).expect(204);

      expect(s.ledger.deadLetters.size).to.equal(1);
      expect(s.fulfilment(event)).to.deep.include({ state: 'dead-lettered', attempts: 5 });
    });

    it('leaves a delivery that succeeded since alone', async () => {
      const s = aSubscriber(succeed);
      const event = anOrderPlacedEvent();
      await s.push(pushEnvelope(event)).expect(204);

      await s.deadLetter(deadLetterEnvelope(event, 5)).expect(204);

      expect(s.ledger.deadLetters.size).to.equal(0);
      expect(s.fulfilment(event)).to.deep.include({ state: 'done' });
    });

    it('answers 409 while an attempt still runs, and records the dead letter Pub/Sub brings back after', async () => {
      const gate = deferred();
      const s = aSubscriber(() => gate.promise);
      const event = anOrderPlacedEvent();
      // An attempt that outlived the ack deadline: Pub/Sub has given up on it meanwhile.
      const running = s.push(pushEnvelope(event)).then((response) => response.status);
      await eventually(() => s.deliveries.length === 1);

      try {
        await s.deadLetter(deadLetterEnvelope(event, 5)).expect(409);
        expect(s.ledger.deadLetters.size).to.equal(0);
      } finally {
        gate.reject(new Error('down'));
      }
      expect(await running).to.equal(503);
      await s.deadLetter(deadLetterEnvelope(event, 5)).expect(204);
      expect(s.fulfilment(event)).to.deep.include({ state: 'dead-lettered', lastError: 'down' });
    });

    it('answers non-2xx when it cannot record, so Pub/Sub keeps the dead letter', async () => {
      const s = aSubscriber(succeed);
      s.ledger.recordDeadLetter = () => Promise.reject(new Error('Firestore unavailable'));
      await s.deadLetter(deadLetterEnvelope(anOrderPlacedEvent(), 5)).expect(500);
    });
  });

  describe('traces and metrics', () => {
    const telemetry = recordTelemetry();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpanId = '00f067aa0ba902b7';
    const traceparent = `00-${traceId}-${parentSpanId}-01`;
    const deliverySpans = () => telemetry.spans().filter((s) => s.kind === SpanKind.CONSUMER);
    /** The one consumer span, a child of the order's span, about this event and subscriber. */
    function orderTraceSpan(name: string, event: CloudEvent, outcome: string) {
      const [span, ...others] = deliverySpans();
      expect(others).to.deep.equal([]);
      expect(span?.name).to.equal(name);
      expect(span?.spanContext().traceId).to.equal(traceId);
      expect(span?.parentSpanContext?.spanId).to.equal(parentSpanId);
      expect(span?.attributes).to.include({
        'orderflow.event_id': event.id,
        'orderflow.order_id': event.data.orderId,
        'orderflow.subscriber': 'kit-test',
        'orderflow.outcome': outcome,
      });
      return span;
    }

    it("continue the order's trace from ce-traceparent, with the delivery's attributes", async () => {
      const s = aSubscriber(succeed);
      const event = anOrderPlacedEvent();
      await s
        .push(pushEnvelope(event, { traceparent, subscription: subscriptionPath }))
        .expect(204);

      const span = orderTraceSpan('process order-placed.v1.kit-test', event, 'done');
      expect(span?.attributes['orderflow.delivery_attempt']).to.equal(1);
    });

    it('make a retry a new span in the same trace, the failed one an error', async () => {
      let calls = 0;
      const s = aSubscriber(() =>
        ++calls === 1 ? Promise.reject(new Error('SMTP down')) : Promise.resolve(),
      );
      const body = pushEnvelope(anOrderPlacedEvent(), { traceparent });
      await s.push(body).expect(503);
      await s.push(body).expect(204);

      const spans = deliverySpans();
      expect(spans.map((sp) => sp.spanContext().traceId)).to.deep.equal([traceId, traceId]);
      expect(spans.map((sp) => sp.parentSpanContext?.spanId)).to.deep.equal([
        parentSpanId,
        parentSpanId,
      ]);
      expect(
        spans.map((sp) => [
          sp.attributes['orderflow.delivery_attempt'],
          sp.attributes['orderflow.outcome'],
        ]),
      ).to.deep.equal([
        [1, 'failed'],
        [2, 'done'],
      ]);
      expect(spans.map((sp) => sp.status.code)).to.deep.equal([
        SpanStatusCode.ERROR,
        SpanStatusCode.UNSET,
      ]);
    });

    it("record a dead letter in the order's trace, its log line tied to that span", async () => {
      const s = aSubscriber(succeed);
      const event = anOrderPlacedEvent();
      await s.deadLetter(deadLetterEnvelope(event, maxDeliveryAttempts, traceparent)).expect(204);

      const span = orderTraceSpan('record dead letter kit-test', event, 'recorded');
      const line = s.lines.find((l) => l.message === 'dead letter recorded');
      expect(line).to.include({
        'logging.googleapis.com/trace': `projects/test-project/traces/${traceId}`,
        'logging.googleapis.com/spanId': span?.spanContext().spanId,
      });
    });

    it('tie every log line about an event to the event, the order and its delivery span', async () => {
      const s = aSubscriber(async ({ logger }) => {
        logger.info('effect ran');
        return Promise.resolve();
      });
      const event = anOrderPlacedEvent();
      await s.push(pushEnvelope(event, { traceparent })).expect(204);

      const spanId = deliverySpans()[0]?.spanContext().spanId;
      const lines = s.lines.filter((l) => l.message === 'effect ran' || l.message === 'handled');
      expect(lines).to.have.length(2);
      for (const line of lines) {
        expect(line).to.include({
          eventId: event.id,
          orderId: event.data.orderId,
          'logging.googleapis.com/trace': `projects/test-project/traces/${traceId}`,
          'logging.googleapis.com/spanId': spanId,
          'logging.googleapis.com/trace_sampled': true,
        });
      }
    });

    it('count the effect lag, the attempts and the dead letters of the subscriber', async () => {
      const done = aSubscriber(succeed);
      const event = anOrderPlacedEvent();
      done.clock.advance(1500);
      await done.push(pushEnvelope(event)).expect(204);
      const failing = aSubscriber(() => Promise.reject(new Error('webhook 500')));
      await failing
        .push(pushEnvelope(anOrderPlacedEvent(), { deliveryAttempt: maxDeliveryAttempts }))
        .expect(503);

      const recorded = await telemetry.metrics();
      const lag = recorded.get('orderflow_effect_lag_seconds')?.dataPoints ?? [];
      expect(lag.map((p) => [p.attributes, (p.value as { sum: number }).sum])).to.deep.include([
        { subscriber: 'kit-test' },
        (done.clock.now().getTime() - Date.parse(event.time)) / 1000,
      ]);
      const dead = recorded.get('orderflow_dead_letters_total')?.dataPoints ?? [];
      expect(dead.map((p) => [p.attributes, p.value])).to.deep.include([
        { subscriber: 'kit-test', reason: 'attempts-exhausted' },
        1,
      ]);
      const attempts = recorded.get('orderflow_delivery_attempts')?.dataPoints ?? [];
      expect(attempts.map((p) => p.attributes)).to.deep.include({
        subscriber: 'kit-test',
        outcome: 'dead-lettered',
      });
    });
  });

  it('answers GET /healthz, and an unknown route with a 404 problem', async () => {
    const s = aSubscriber(succeed);
    await request(s.app).get('/healthz').expect(200, { status: 'ok' });
    expectProblem(await request(s.app).post('/pubsub/elsewhere').send({}), 404, 'not-found');
  });
});
