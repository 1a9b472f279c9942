import { expect } from 'chai';
import {
  fromMessage,
  InvalidEventError,
  orderPlacedType,
  toMessage,
  type EventMessage,
} from '@orderflow/events';
import { anOrderPlacedEvent } from '../../support/events.js';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('toMessage', () => {
  it('carries the context as ce- attributes and the data as JSON', () => {
    const event = anOrderPlacedEvent({ id: 'evt-1' });
    const message = toMessage(event, traceparent);

    expect(message.attributes).to.deep.equal({
      'ce-specversion': '1.0',
      'ce-id': 'evt-1',
      'ce-type': orderPlacedType,
      'ce-source': event.source,
      'ce-subject': event.subject,
      'ce-time': event.time,
      'content-type': 'application/json',
      'ce-traceparent': traceparent,
    });
    expect(JSON.parse(message.data)).to.deep.equal(event.data);
  });

  it('leaves out the trace when there is none', () => {
    expect(toMessage(anOrderPlacedEvent()).attributes).not.to.have.property('ce-traceparent');
  });

  it('refuses data that does not match the schema of its type', () => {
    const event = anOrderPlacedEvent({ data: { lines: [] } });
    expect(() => toMessage(event)).to.throw();
  });
});

describe('fromMessage', () => {
  const event = anOrderPlacedEvent();
  const message = toMessage(event);

  it('gives back the event toMessage was given', () => {
    expect(fromMessage(message)).to.deep.equal(event);
  });

  const withAttributes = (attributes: Record<string, string | undefined>): EventMessage => ({
    data: message.data,
    attributes: Object.fromEntries(
      Object.entries({ ...message.attributes, ...attributes }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ),
  });

  const invalid: { name: string; message: EventMessage; reason: RegExp }[] = [
    {
      name: 'an unknown type',
      message: withAttributes({ 'ce-type': 'order.placed.v2' }),
      reason: /unknown event type order\.placed\.v2/,
    },
    {
      name: 'an inherited property as type',
      message: withAttributes({ 'ce-type': 'toString' }),
      reason: /unknown event type/,
    },
    { name: 'no id', message: withAttributes({ 'ce-id': undefined }), reason: /not a CloudEvent/ },
    { name: 'an empty id', message: withAttributes({ 'ce-id': '' }), reason: /not a CloudEvent/ },
    {
      name: 'another spec version',
      message: withAttributes({ 'ce-specversion': '0.3' }),
      reason: /not a CloudEvent/,
    },
    {
      name: 'a time that is not one',
      message: withAttributes({ 'ce-time': 'yesterday' }),
      reason: /not a CloudEvent/,
    },
    {
      name: 'no attributes',
      message: { data: message.data, attributes: {} },
      reason: /not a CloudEvent/,
    },
    {
      name: 'data that is not JSON',
      message: { ...message, data: '{"orderId":' },
      reason: /not JSON/,
    },
    { name: 'empty data', message: { ...message, data: '' }, reason: /not JSON/ },
    {
      name: 'data missing a field',
      message: { ...message, data: JSON.stringify({ ...event.data, customer: undefined }) },
      reason: /invalid order\.placed\.v1 data/,
    },
    {
      name: 'data with a negative total',
      message: { ...message, data: JSON.stringify({ ...event.data, totalCents: -1 }) },
      reason: /invalid order\.placed\.v1 data/,
    },
    {
      name: 'data with a bad email',
      message: {
        ...message,
        data: JSON.stringify({ ...event.data, customer: { id: 'c', email: 'not-an-email' } }),
      },
      reason: /invalid order\.placed\.v1 data/,
    },
  ];
  for (const { name, message: bad, reason } of invalid) {
    it(`refuses ${name}`, () => {
      expect(() => fromMessage(bad))
        .to.throw(InvalidEventError)
        .with.property('message')
        .that.matches(reason);
    });
  }
});
