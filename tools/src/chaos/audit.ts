import type { ClientOutcome, ClientRecord } from './client.js';
import type { TimelineEntry } from './faults.js';
import type { Observations, StoredOrder } from './observe.js';
import { explainedBy, faultsAround, type Cause } from './causes.js';
import type { Workload } from './workload.js';

/** One line of the audit: how many cases, which orders (or keys), and whether it breaks the promise. */
export interface AuditLine {
  check: string;
  count: number;
  violation: boolean;
  /** The orders, keys or products concerned. */
  concerned: string[];
  /** For a violation about orders: the faults under way around their placement, by kind. */
  faultsAround?: Record<string, number>;
}

export interface AuditInput {
  workload: Workload;
  log: readonly ClientRecord[];
  outcomes: ReadonlyMap<string, ClientOutcome>;
  observed: Observations;
  timeline: readonly TimelineEntry[];
  /** The lowest level any read of a product's documents showed during the load. */
  lowestStock: ReadonlyMap<string, number>;
}

/** Every check of the campaign, each stated once, on the end state and the client's history. */
export function audit(input: AuditInput): AuditLine[] {
  const placedAt = new Map(input.observed.orders.map((o) => [o.id, Date.parse(o.createdAt)]));
  return [
    ...answers(input),
    ...stock(input),
    ...effects(input),
    ...leftovers(input),
    ...requests(input),
  ].map((l) => {
    // Lines about orders name the order first.
    const times = l.concerned.flatMap((c) => placedAt.get(c.split(' ')[0] ?? '') ?? []);
    return l.violation && times.length
      ? { ...l, faultsAround: faultsAround(input.timeline, times) }
      : l;
  });
}

const line = (check: string, concerned: string[], violation = concerned.length > 0): AuditLine => ({
  check,
  count: concerned.length,
  violation,
  concerned,
});

/** Lines that are counted for the report and the faults they come from, never a violation. */
const info = (check: string, concerned: string[]) => line(check, concerned, false);

function answers({ workload, log, outcomes, observed }: AuditInput): AuditLine[] {
  const stored = new Set(observed.orders.map((o) => o.id));
  const held = observed.keyOrders;
  const answered = new Map<string, Set<string>>();
  for (const r of log) {
    if (r.orderId) answered.set(r.key, (answered.get(r.key) ?? new Set()).add(r.orderId));
  }
  const keyed = new Set(held.values());
  const lost = workload.orders.filter((o) => outcomes.get(o.key)?.kind === 'unknown');
  return [
    line(
      'every 201 is an order in the store',
      [...answered.values()].flatMap((ids) => [...ids].filter((id) => !stored.has(id))),
    ),
    line(
      'one Idempotency-Key, one order (every answer and the store agree)',
      [...answered]
        .filter(([key, ids]) => ids.size > 1 || ![...ids].every((id) => held.get(key) === id))
        .map(([key]) => key),
    ),
    line(
      'every stored order was placed by one key of the clients',
      observed.orders.filter((o) => !keyed.has(o.id)).map((o) => o.id),
    ),
    line(
      'a refused request placed nothing',
      workload.orders
        .filter((o) => outcomes.get(o.key)?.kind === 'refused' && held.has(o.key))
        .map((o) => o.key),
    ),
    info(
      'answer lost, order placed (0 or 1 is right)',
      lost.filter((o) => held.has(o.key)).map((o) => o.key),
    ),
    info(
      'answer lost, nothing placed (0 or 1 is right)',
      lost.filter((o) => !held.has(o.key)).map((o) => o.key),
    ),
  ];
}

function stock({ workload, observed, lowestStock }: AuditInput): AuditLine[] {
  const committed = new Map<string, number>();
  for (const order of observed.orders) {
    for (const l of order.lines)
      committed.set(l.productId, (committed.get(l.productId) ?? 0) + l.quantity);
  }
  const remaining = new Map(observed.stock.map((s) => [s.productId, s.levels]));
  const products = workload.catalog.products;
  return [
    line(
      'per product: initial stock = remaining + committed units',
      products
        .filter((p) => p.stock !== sum(remaining.get(p.id) ?? []) + (committed.get(p.id) ?? 0))
        .map(
          (p) =>
            `${p.id} (${p.stock} ≠ ${sum(remaining.get(p.id) ?? [])} + ${committed.get(p.id) ?? 0})`,
        ),
    ),
    line(
      'stock never below zero, shards included, at any read',
      products
        .filter((p) => Math.min(lowestStock.get(p.id) ?? 0, ...(remaining.get(p.id) ?? [])) < 0)
        .map((p) => p.id),
    ),
  ];
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function effects(input: AuditInput): AuditLine[] {
  const { observed } = input;
  const mails = countBy(
    observed.mails.flatMap((m) => /Your order (\S+) is confirmed/.exec(m.subject ?? '')?.[1] ?? []),
  );
  const twice = observed.orders.filter((o) => (mails.get(o.id) ?? 0) > 1);
  const [explained, unexplained] = partition(twice, (o) =>
    explainedBy(input.timeline, duplicateMailCauses, mailTimes(observed, o.id)),
  );
  const sellerCalls = webhooksBySellerPart(observed);
  const parts = observed.orders.flatMap((o) => sellersOf(o).map((s) => `${o.id} ${s}`));
  return [
    line(
      'every committed order: its confirmation mail',
      observed.orders.filter((o) => !mails.has(o.id)).map((o) => o.id),
    ),
    info(
      'confirmation mail sent twice, after a fault that can cause it',
      explained.map((o) => o.id),
    ),
    line(
      'confirmation mail sent twice, no fault to explain it',
      unexplained.map((o) => o.id),
    ),
    line(
      'every committed order: a verified webhook to each of its sellers',
      parts.filter((p) => !sellerCalls.get(p)?.some((w) => w.signatureValid)),
    ),
    line(
      'every webhook verifies',
      observed.webhooks.filter((w) => !w.signatureValid).map((w) => `${orderOf(w)} ${w.sellerId}`),
    ),
    line(
      'every repeat of a webhook carries the same webhook-id',
      parts.filter((p) => new Set(sellerCalls.get(p)?.map((w) => w.webhookId)).size > 1),
    ),
    line(
      'each customer segment counts each order once (recount = stored counters)',
      miscounted(observed),
    ),
    line(
      'each order once in the analytics view orders',
      observed.orders
        .filter((o) => observed.analyticsRows.get(o.id) !== 1)
        .map((o) => `${o.id} (${observed.analyticsRows.get(o.id) ?? 0} rows)`),
    ),
  ];
}

/** Faults after which a mail may be sent twice: the sender dies, or cannot record it, after sending. */
const duplicateMailCauses: Cause[] = [
  { kind: 'kill', instance: 'notification' },
  { kind: 'mail', mode: 'hang' },
  { kind: 'freeze', emulator: 'firestore' },
];

function mailTimes(observed: Observations, orderId: string): number[] {
  return observed.mails
    .filter((m) => m.subject?.includes(orderId))
    .map((m) => Date.parse(m.receivedAt));
}

const orderOf = (w: { payload: unknown }) =>
  (w.payload as { data?: { orderId?: string } }).data?.orderId ?? '?';
const sellersOf = (order: StoredOrder) => [...new Set(order.lines.map((l) => l.sellerId))];

function webhooksBySellerPart(observed: Observations) {
  const calls = new Map<string, Observations['webhooks']>();
  for (const w of observed.webhooks) {
    const part = `${orderOf(w)} ${w.sellerId}`;
    calls.set(part, [...(calls.get(part) ?? []), w]);
  }
  return calls;
}

function miscounted(observed: Observations): string[] {
  const byCustomer = new Map<string, StoredOrder[]>();
  for (const o of observed.orders)
    byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o]);
  return [...byCustomer].flatMap(([customerId, orders]) => {
    const stored = observed.segments.get(customerId);
    const spent = sum(orders.map((o) => o.totalCents));
    const ok = stored?.orderCount === orders.length && stored.totalSpentCents.EUR === spent;
    return ok
      ? []
      : [`${customerId} (${stored?.orderCount ?? 0} counted, ${orders.length} placed)`];
  });
}

function leftovers({ observed }: AuditInput): AuditLine[] {
  const notDone = [...observed.fulfilment].flatMap(([orderId, states]) =>
    Object.entries(states)
      .filter(([, state]) => state !== 'done')
      .map(([subscriber, state]) => `${orderId} ${subscriber} ${state}`),
  );
  return [
    line(
      'no outbox entry unpublished',
      [...observed.outbox].filter(([, e]) => !e.published).map(([id]) => id),
    ),
    line('no outbox entry set aside', observed.setAside),
    line(
      'no dead letter unreplayed',
      observed.deadLetters.map((l) => `${l.orderId} ${l.subscriber} ${l.state}`),
    ),
    line('every delivery done', notDone),
  ];
}

function requests({ log, timeline }: AuditInput): AuditLine[] {
  const serverErrors = log.filter(
    (r) => r.status !== undefined && r.status >= 500 && r.status !== 503,
  );
  const [service, frontEnd] = partition(serverErrors, (r) => r.fromService === true);
  const dropped = [...frontEnd, ...log.filter((r) => r.error?.startsWith('connection'))];
  const [explained, unexplained] = partition(dropped, (r) =>
    explainedBy(timeline, [{ kind: 'kill', instance: 'order' }], [r.sentAt, r.sentAt + r.ms]),
  );
  const describe = (r: ClientRecord) => `${r.key}#${r.attempt} ${r.status ?? r.error ?? ''}`;
  return [
    line('no 5xx from the service but the documented 503', service.map(describe)),
    info('502 or dropped connection while an order instance was killed', explained.map(describe)),
    line('502 or dropped connection with no instance killed', unexplained.map(describe)),
    line(
      'no request left without an answer past its deadline',
      log.filter((r) => r.error === 'timeout').map(describe),
    ),
  ];
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}
