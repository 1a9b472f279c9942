import { expect } from 'chai';
import { orderPlacedType, toMessage } from '@orderflow/events';
import {
  InMemoryDeliveryLedger,
  partedRoute,
  sweepParts,
  type DeliveryContext,
  type PartClaim,
  type PartPolicy,
} from '@orderflow/subscriber';
import { ManualClock } from '../../support/clock.js';
import { anOrderPlacedEvent } from '../../support/events.js';
import { silentLogger } from '../../support/logger.js';

const policy: PartPolicy = { maxAttempts: 3, minBackoffMs: 1_000, maxBackoffMs: 4_000 };
const leaseMs = 10_000;

describe('the part sweep', () => {
  it('dead-letters poison parts within their attempts, and retries the other sellers meanwhile', async () => {
    const ledger = new InMemoryDeliveryLedger();
    const clock = new ManualClock();
    const told: string[] = [];
    const route = partedRoute(
      'seller',
      orderPlacedType,
      (event) => [
        {
          name: 'seller:acme',
          run: () => {
            told.push(event.id);
            return Promise.resolve();
          },
        },
      ],
      policy,
    );
    const deps = { ledger, route, clock: clock.now, leaseMs, logger: silentLogger() };
    /** A delivery whose one part failed at its push. */
    async function pushed(eventId: string, message: PartClaim['message']) {
      const delivery: DeliveryContext = {
        subscriber: 'seller',
        eventId,
        orderId: `order-${eventId}`,
        eventType: orderPlacedType,
      };
      await ledger.begin(delivery, clock.now(), leaseMs);
      await ledger.settlePushedParts(delivery, clock.now(), {
        attempt: 1,
        message,
        outcomes: [{ name: 'seller:acme', attempt: 1, error: 'HTTP 503' }],
        policy,
      });
    }
    // A hundred deliveries whose event no longer parses (a schema tightened since their push):
    // their retries throw after the claim, every time. They have waited longest.
    for (let i = 0; i < 100; i += 1) {
      await pushed(`poison-${i}`, { data: '{}', attributes: { 'ce-id': `poison-${i}` } });
    }
    clock.advance(1);
    const event = anOrderPlacedEvent();
    await pushed(event.id, toMessage(event));

    for (let sweep = 0; sweep < policy.maxAttempts + 1; sweep += 1) {
      clock.advance(leaseMs);
      await sweepParts(deps);
    }

    expect(told).to.deep.equal([event.id]);
    const poison = [...ledger.entries.values()].filter((e) => e.context?.eventId !== event.id);
    expect(poison.map((e) => e.parts?.['seller:acme']?.state)).to.deep.equal(
      Array<string>(100).fill('dead-lettered'),
    );
    expect(Math.max(...poison.map((e) => e.parts?.['seller:acme']?.attempts ?? 0))).to.equal(
      policy.maxAttempts,
    );
    expect(ledger.deadLetters.size).to.equal(100);
    expect(await ledger.dueParts('seller', clock.now(), 200)).to.deep.equal([]);
  });
});
