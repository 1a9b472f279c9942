import type { Firestore } from '@google-cloud/firestore';
import { fulfilmentCollection } from '@orderflow/events';
import { idempotencyKeyRef } from '@orderflow/order/adapters/firestore-order-store';
import type { CapturedMail } from '../local/mail-capture.js';
import type { ReceivedWebhook } from '../local/webhook-sink.js';
import { runQuery } from '../shared/analytics-query.js';
import { readStock, type StockRead } from './stock.js';

/** An order as Firestore holds it, with what the audit needs. */
export interface StoredOrder {
  id: string;
  customerId: string;
  lines: { productId: string; sellerId: string; quantity: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
}

/** The end state of the system and of the outside world, for the campaign's customers and products. */
export interface Observations {
  orders: StoredOrder[];
  /** The order each Idempotency-Key holds in the store, by key; absent when it placed none. */
  keyOrders: Map<string, string>;
  stock: StockRead[];
  mails: CapturedMail[];
  webhooks: ReceivedWebhook[];
  segments: Map<string, { orderCount: number; totalSpentCents: Record<string, number> }>;
  /** Rows of the analytics view `orders`, by order id. */
  analyticsRows: Map<string, number>;
  /** Outbox entries of the orders: published or not, by order id; set aside ones. */
  outbox: Map<string, { eventId: string; published: boolean }>;
  setAside: string[];
  /** Dead letters of the orders not replayed: `subscriber order`. */
  deadLetters: { subscriber: string; orderId: string; state: string }[];
  /** Each order's delivery state per subscriber of `order.placed`. */
  fulfilment: Map<string, Record<string, string>>;
}

export interface Scope {
  /** The ids of this run's customers start with it. */
  customerPrefix: string;
  customers: readonly string[];
  keys: readonly { customerId: string; key: string }[];
  products: readonly string[];
  sellers: readonly string[];
  subscribers: readonly string[];
}

export interface Sources {
  db: Firestore;
  mailUrl: string;
  webhooksUrl: string;
  analyticsUrl: string;
}

/** Reads everything the audit checks, from the stores and the outside world's records. */
export async function observe(sources: Sources, scope: Scope): Promise<Observations> {
  const { db } = sources;
  const orders = await storedOrders(db, scope.customerPrefix);
  const [
    keyOrders,
    stock,
    mails,
    webhooks,
    segments,
    analyticsRows,
    outbox,
    deadLetters,
    fulfilment,
  ] = await Promise.all([
    keyOrdersOf(db, scope.keys),
    readStock(db, scope.products),
    getJson<{ messages: CapturedMail[] }>(`${sources.mailUrl}/messages`).then((r) =>
      r.messages.filter((m) => m.to.some((to) => to.startsWith(scope.customerPrefix))),
    ),
    getJson<{ webhooks: ReceivedWebhook[] }>(`${sources.webhooksUrl}/webhooks`).then((r) =>
      r.webhooks.filter((w) => scope.sellers.includes(w.sellerId)),
    ),
    segmentsOf(db, scope.customers),
    analyticsRowsOf(sources.analyticsUrl, scope.customerPrefix),
    outboxOf(db, 'outbox', scope.customerPrefix),
    deadLettersOf(db, new Set(orders.map((o) => o.id))),
    fulfilmentOf(db, orders, scope.subscribers),
  ]);
  const setAside = [...(await outboxOf(db, 'outboxSetAside', scope.customerPrefix)).keys()];
  return {
    orders,
    keyOrders,
    stock,
    mails,
    webhooks,
    segments,
    analyticsRows,
    outbox,
    setAside,
    deadLetters,
    fulfilment,
  };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Ids that start with `prefix`: a range on one field, which needs no composite index. */
const startsWith = (prefix: string) => [prefix, `${prefix}\uf8ff`] as const;

export async function storedOrders(db: Firestore, customerPrefix: string): Promise<StoredOrder[]> {
  const [from, to] = startsWith(customerPrefix);
  const snapshot = await db
    .collection('orders')
    .where('customer.id', '>=', from)
    .where('customer.id', '<', to)
    .get();
  return snapshot.docs.map((doc) => {
    const order = doc.data() as Omit<StoredOrder, 'customerId'> & { customer: { id: string } };
    return {
      id: doc.id,
      customerId: order.customer.id,
      lines: order.lines.map(({ productId, sellerId, quantity }) => ({
        productId,
        sellerId,
        quantity,
      })),
      totalCents: order.totalCents,
      currency: order.currency,
      createdAt: order.createdAt,
    };
  });
}

/** The order service's record of each key: the one order the key placed. */
async function keyOrdersOf(db: Firestore, keys: Scope['keys']): Promise<Map<string, string>> {
  const refs = keys.map((key) => idempotencyKeyRef(db, key));
  const snapshots = refs.length ? await db.getAll(...refs) : [];
  const held = new Map<string, string>();
  snapshots.forEach((s, i) => {
    const orderId = s.get('orderId') as string | undefined;
    const key = keys[i]?.key;
    if (orderId && key) held.set(key, orderId);
  });
  return held;
}

async function segmentsOf(db: Firestore, customers: readonly string[]) {
  const snapshots = await db.getAll(
    ...customers.map((id) => db.collection('customerSegments').doc(id)),
  );
  return new Map(
    snapshots
      .filter((s) => s.exists)
      .map((s) => [
        s.id,
        {
          orderCount: s.get('orderCount') as number,
          totalSpentCents: s.get('totalSpentCents') as Record<string, number>,
        },
      ]),
  );
}

export async function analyticsRowsOf(
  url: string,
  customerPrefix: string,
): Promise<Map<string, number>> {
  const rows = await runQuery(
    { kind: 'local', url },
    `SELECT order_id, COUNT(*) AS n FROM orders WHERE starts_with(customer_id, '${customerPrefix}') GROUP BY order_id`,
  );
  return new Map(rows.map((r) => [r.order_id as string, Number(r.n)]));
}

async function outboxOf(db: Firestore, collection: string, customerPrefix: string) {
  const [from, to] = startsWith(customerPrefix);
  const snapshot = await db
    .collection(collection)
    .where('event.data.customer.id', '>=', from)
    .where('event.data.customer.id', '<', to)
    .get();
  return new Map(
    snapshot.docs.map((doc) => [
      String(doc.get('event.data.orderId')),
      { eventId: doc.id, published: Boolean(doc.get('publishedAt')) },
    ]),
  );
}

async function deadLettersOf(db: Firestore, orderIds: ReadonlySet<string>) {
  const snapshot = await db.collection('deadLetters').where('state', '!=', 'replayed').get();
  return snapshot.docs
    .map((doc) => ({
      subscriber: String(doc.get('subscriber')),
      orderId: String(doc.get('orderId')),
      state: String(doc.get('state')),
    }))
    .filter((letter) => orderIds.has(letter.orderId));
}

/** Each order's record per subscriber; one not yet written is `pending`. */
export async function fulfilmentOf(
  db: Firestore,
  orders: readonly { id: string }[],
  subscribers: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const states = new Map<string, Record<string, string>>();
  for (let i = 0; i < orders.length; i += 100) {
    const batch = orders.slice(i, i + 100);
    const refs = batch.flatMap((o) =>
      subscribers.map((s) => db.collection(fulfilmentCollection(o.id)).doc(s)),
    );
    const snapshots = refs.length ? await db.getAll(...refs) : [];
    batch.forEach((order, j) => {
      states.set(
        order.id,
        Object.fromEntries(
          subscribers.map((s, k) => [
            s,
            String(snapshots[j * subscribers.length + k]?.get('state') ?? 'pending'),
          ]),
        ),
      );
    });
  }
  return states;
}
