import type { PubSub } from '@google-cloud/pubsub';
import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { PubSubPublisher } from '@orderflow/outbox';
import { withSpan } from '@orderflow/platform';
import { topology } from '@orderflow/topology';
import { anOrderPlacedEvent } from '../../support/events.js';
import { recordTelemetry } from '../../support/tracing.js';

/** Only what the publisher calls on the client: every message it is given, by topic. */
function aFakePubSub() {
  const sent: { topic: string; attributes: Record<string, string> }[] = [];
  const pubsub = {
    topic: (topic: string) => ({
      publishMessage: (message: { attributes: Record<string, string> }) => {
        sent.push({ topic, attributes: message.attributes });
        return Promise.resolve('message-1');
      },
    }),
  };
  return { pubsub: pubsub as unknown as PubSub, sent };
}

describe('PubSubPublisher, traced', () => {
  const telemetry = recordTelemetry();

  it("publishes in a producer span of the request's trace, whose context the message carries", async () => {
    const { pubsub, sent } = aFakePubSub();
    const event = anOrderPlacedEvent();
    await withSpan('request', {}, () =>
      new PubSubPublisher(pubsub, topology, { timeoutMs: 1000 }).publish(event),
    );

    const send = telemetry.span('send order-placed.v1');
    expect(send.kind).to.equal(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).to.equal(telemetry.span('request').spanContext().spanId);
    expect(send.attributes).to.include({ 'orderflow.event_id': event.id });
    const { traceId, spanId } = send.spanContext();
    expect(sent[0]?.attributes['ce-traceparent']).to.equal(`00-${traceId}-${spanId}-01`);
  });

  it("publishes a late event with its order's trace context, linked from the relay's span", async () => {
    const { pubsub, sent } = aFakePubSub();
    const origin = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    await new PubSubPublisher(pubsub, topology, { timeoutMs: 1000 }).publish(
      anOrderPlacedEvent(),
      origin,
    );

    const send = telemetry.span('send order-placed.v1');
    expect(send.spanContext().traceId).not.to.equal('a'.repeat(32));
    expect(send.links.map((l) => l.context)).to.deep.include({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: 1,
      isRemote: true,
    });
    expect(sent[0]?.attributes['ce-traceparent']).to.equal(origin);
  });
});
