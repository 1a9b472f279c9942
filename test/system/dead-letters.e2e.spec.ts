import { expect } from 'chai';
import { toMessage } from '@orderflow/events';
import { findSubscription, topology } from '@orderflow/topology';
import type { ReceivedWebhook } from '@orderflow/tools/local/webhook-sink';
import type { ReplayResult } from '@orderflow/tools/shared/dead-letters';
import { anOrderLine, anOrderPlacedEvent, type OrderPlacedEvent } from '../support/events.js';
import { localSystem } from './fixture.js';
import { getJson } from './support/api.js';
import { dlqList, npmRun } from './support/cli.js';
import { aCatalog, firestore, pubsub } from './support/clients.js';
import { eventually } from './support/eventually.js';

const seller = findSubscription(topology, 'seller')!;
const count = 200;
const orderIdOf = (w: ReceivedWebhook) => (w.payload as { data: { orderId: string } }).data.orderId;

describe('dead letters you can trust', function () {
  this.timeout(180_000);
  let events: OrderPlacedEvent[] = [];

  after(async () => {
    const db = firestore();
    const writer = db.bulkWriter();
    for (const event of events) {
      void writer.delete(db.collection('deadLetters').doc(`seller_${event.id}`));
      void writer.delete(db.doc(`orders/${event.data.orderId}/fulfilment/seller`));
      void writer.delete(db.collection('deliveries').doc(`seller_${event.id}`));
    }
    await writer.close();
  });

  it(`lists ${count} dead letters, all of them; two replays at once replay each exactly once`, async () => {
    const catalog = await aCatalog({ products: [{}] });
    const line = anOrderLine({
      productId: catalog.products[0]!.id,
      sellerId: catalog.sellers[0]!.id,
    });
    events = Array.from({ length: count }, () => anOrderPlacedEvent({ data: { lines: [line] } }));
    // As Pub/Sub forwards a message that ran out of attempts.
    const deadLetterTopic = pubsub().topic(seller.deadLetterTopic);
    await Promise.all(
      events.map((event) => {
        const { data, attributes } = toMessage(event);
        return deadLetterTopic.publishMessage({
          data: Buffer.from(data),
          attributes: { ...attributes, CloudPubSubDeadLetterSourceDeliveryCount: '5' },
        });
      }),
    );
    const ids = new Set(events.map((e) => e.id));

    // The order says dead-lettered only once `dlq list` shows it: listed at once, no retry.
    const first = events[0]!;
    await eventually(
      async () => {
        const fulfilment = await firestore()
          .doc(`orders/${first.data.orderId}/fulfilment/seller`)
          .get();
        expect(fulfilment.get('state')).to.equal('dead-lettered');
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect((await dlqList('seller')).map((l) => l.eventId)).to.include(first.id);

    const letters = await eventually(
      async () => {
        const ours = (await dlqList('seller')).filter((l) => ids.has(l.eventId!));
        expect(ours).to.have.length(count);
        return ours;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(letters[0]).to.include({ subscriber: 'seller', state: 'dead-lettered', attempts: 5 });

    const runs = await Promise.all(
      [1, 2].map(() => npmRun('dlq', ['replay', '--subscriber', 'seller', '--all', '--json'])),
    );
    const replayedIds = runs.flatMap(({ code, stdout, stderr }) => {
      expect(code, stderr).to.equal(0);
      return (JSON.parse(stdout) as ReplayResult[])
        .filter((r) => r.outcome === 'replayed' && ids.has(r.letter.eventId!))
        .map((r) => r.letter.eventId);
    });
    expect(replayedIds).to.have.length(count);
    expect(new Set(replayedIds).size).to.equal(count);

    const orderIds = new Set(events.map((e) => e.data.orderId));
    const ourWebhooks = async () =>
      (
        await getJson<{ webhooks: ReceivedWebhook[] }>(`${localSystem().urls.webhooks}/webhooks`)
      ).webhooks.filter((w) => orderIds.has(orderIdOf(w)));
    await eventually(async () => expect(await ourWebhooks()).to.have.length(count), {
      timeoutMs: 90_000,
      intervalMs: 1000,
    });
    expect(new Set((await ourWebhooks()).map(orderIdOf)).size).to.equal(count);
    expect((await dlqList('seller')).filter((l) => ids.has(l.eventId!))).to.be.empty;
  });
});
