import { expect } from 'chai';
import { audit, type AuditInput } from '@orderflow/tools/chaos/audit';
import type { TimelineEntry } from '@orderflow/tools/chaos/faults';
import type { Observations, StoredOrder } from '@orderflow/tools/chaos/observe';
import type { PlannedOrder, Workload } from '@orderflow/tools/chaos/workload';

const customer = { id: 'c-1', email: 'c-1@customers.test' };
const planned = (key: string): PlannedOrder => ({
  atMs: 0,
  customer,
  items: [{ productId: 'p', quantity: 2 }],
  key,
  backoffMs: [100],
});
const workload: Workload = {
  catalog: {
    sellers: [{ id: 's', name: 'S', email: 's@sellers.test' }],
    products: [{ id: 'p', sellerId: 's', name: 'P', priceCents: 100, currency: 'EUR', stock: 10 }],
  },
  downSeller: 's',
  customers: [customer],
  orders: [planned('k1'), planned('k2')],
};
const stored = (id: string): StoredOrder => ({
  id,
  customerId: customer.id,
  lines: [{ productId: 'p', sellerId: 's', quantity: 2 }],
  totalCents: 200,
  currency: 'EUR',
  createdAt: '2026-01-01T00:00:00.000Z',
});
const at = Date.parse('2026-01-01T00:00:10.000Z');
const mail = (orderId: string, receivedAt = at) => ({
  messageId: orderId,
  from: 'shop',
  to: [customer.email],
  subject: `Your order ${orderId} is confirmed`,
  text: '',
  receivedAt: new Date(receivedAt).toISOString(),
});
const webhook = (orderId: string, webhookId = `msg_${orderId}`) => ({
  sellerId: 's',
  webhookId,
  signatureValid: true,
  signedWith: [1],
  headers: {},
  body: '',
  payload: { data: { orderId } },
  receivedAt: '',
});

/** Both orders placed, answered and delivered everywhere, once: nothing to report. */
function healthy(): AuditInput {
  const observed: Observations = {
    orders: [stored('o1'), stored('o2')],
    keyOrders: new Map([
      ['k1', 'o1'],
      ['k2', 'o2'],
    ]),
    stock: [{ productId: 'p', levels: [4, 2] }],
    mails: [mail('o1'), mail('o2')],
    webhooks: [webhook('o1'), webhook('o2')],
    segments: new Map([[customer.id, { orderCount: 2, totalSpentCents: { EUR: 400 } }]]),
    analyticsRows: new Map([
      ['o1', 1],
      ['o2', 1],
    ]),
    outbox: new Map([
      ['o1', { eventId: 'e1', published: true }],
      ['o2', { eventId: 'e2', published: true }],
    ]),
    setAside: [],
    deadLetters: [],
    fulfilment: new Map([
      ['o1', { notification: 'done', seller: 'done' }],
      ['o2', { notification: 'done', seller: 'done' }],
    ]),
  };
  const answer = (key: string, orderId: string) => ({
    key,
    customerId: customer.id,
    attempt: 1,
    sentAt: at,
    ms: 50,
    status: 201,
    orderId,
    fromService: true,
  });
  return {
    workload,
    log: [answer('k1', 'o1'), answer('k2', 'o2')],
    outcomes: new Map([
      ['k1', { kind: 'placed', orderId: 'o1' }],
      ['k2', { kind: 'placed', orderId: 'o2' }],
    ]),
    observed,
    timeline: [],
    lowestStock: new Map([['p', 2]]),
  };
}

const failing = (input: AuditInput) =>
  Object.fromEntries(
    audit(input)
      .filter((l) => l.violation)
      .map((l) => [l.check, l.concerned]),
  );

const kill = (instance: string, startedAt: number): TimelineEntry => ({
  fault: { atMs: 0, kind: 'kill', instance, downMs: 1000 },
  description: `SIGKILL ${instance}`,
  startedAt,
  endedAt: startedAt + 1000,
});

describe('chaos: the audit', () => {
  it('finds nothing when every order was placed once and reached everyone once', () => {
    expect(failing(healthy())).to.deep.equal({});
  });

  it('an order no key holds (a second order for one key) breaks the stock and the keys', () => {
    const input = healthy();
    input.observed.orders.push(stored('o3'));
    input.observed.analyticsRows.set('o3', 1);
    const found = failing(input);
    expect(found['every stored order was placed by one key of the clients']).to.deep.equal(['o3']);
    expect(found['per product: initial stock = remaining + committed units']).to.deep.equal([
      'p (10 ≠ 6 + 6)',
    ]);
  });

  it('a shard read below zero at any time', () => {
    const input = healthy();
    input.lowestStock = new Map([['p', -1]]);
    expect(failing(input)).to.have.property('stock never below zero, shards included, at any read');
  });

  it('a second mail is reported against a notification kill before it, a violation without one', () => {
    const input = healthy();
    input.observed.mails.push(mail('o1', at + 5000));
    expect(failing(input)['confirmation mail sent twice, no fault to explain it']).to.deep.equal([
      'o1',
    ]);
    input.timeline = [kill('notification', at - 1000)];
    expect(failing(input)).to.deep.equal({});
    expect(
      audit(input).find((l) => l.check.startsWith('confirmation mail sent twice, after'))?.count,
    ).to.equal(1);
  });

  it('a missing webhook, a changed webhook-id, a segment counted twice, an order twice in analytics', () => {
    const input = healthy();
    input.observed.webhooks = [webhook('o1'), webhook('o1', 'other')];
    input.observed.segments.set(customer.id, { orderCount: 3, totalSpentCents: { EUR: 600 } });
    input.observed.analyticsRows.set('o2', 2);
    const found = failing(input);
    expect(found['every committed order: a verified webhook to each of its sellers']).to.deep.equal(
      ['o2 s'],
    );
    expect(found['every repeat of a webhook carries the same webhook-id']).to.deep.equal(['o1 s']);
    expect(found).to.have.property(
      'each customer segment counts each order once (recount = stored counters)',
    );
    expect(found['each order once in the analytics view orders']).to.deep.equal(['o2 (2 rows)']);
  });

  it('what is left behind: an unpublished entry, a dead letter, a delivery pending', () => {
    const input = healthy();
    input.observed.outbox.set('o2', { eventId: 'e2', published: false });
    input.observed.deadLetters = [{ subscriber: 'seller', orderId: 'o1', state: 'dead-lettered' }];
    input.observed.fulfilment.set('o2', { notification: 'done', seller: 'pending' });
    expect(Object.keys(failing(input))).to.deep.equal([
      'no outbox entry unpublished',
      'no dead letter unreplayed',
      'every delivery done',
    ]);
    // Which faults were under way when the orders concerned were placed.
    input.timeline = [kill('seller', Date.parse(stored('o2').createdAt) - 500)];
    const notDone = audit(input).find((l) => l.check === 'every delivery done');
    expect(notDone?.faultsAround).to.deep.equal({ 'kill seller': 1 });
  });

  it('a 500 from the service is a violation; a 502 page while an order instance was killed is not', () => {
    const input = healthy();
    const base = { key: 'k1', customerId: customer.id, sentAt: at, ms: 10 };
    input.log = [
      ...input.log,
      { ...base, attempt: 2, status: 502, fromService: false },
      { ...base, attempt: 3, status: 500, fromService: true },
    ];
    expect(Object.keys(failing(input))).to.deep.equal([
      'no 5xx from the service but the documented 503',
      '502 or dropped connection with no instance killed',
    ]);
    input.timeline = [kill('order#2', at - 500)];
    expect(Object.keys(failing(input))).to.deep.equal([
      'no 5xx from the service but the documented 503',
    ]);
  });
});
