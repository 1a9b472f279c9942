import type { Firestore } from '@google-cloud/firestore';
import { fulfilmentCollection, type FulfilmentRecord } from '@orderflow/events';
import type { PlacedRef } from './load.js';
import { distribution, type Distribution, type Interval } from './statistics.js';
import { benchCustomerPrefix } from './workload.js';

/** Where the side effects of a run's orders stand once the subscribers are done or time is up. */
export interface EffectsOutcome {
  orders: number;
  /** Every subscriber done. */
  done: number;
  /** Every subscriber done or dead-lettered, at least one dead-lettered. */
  deadLettered: number;
  /** Some subscriber still pending or retrying when the wait ended. */
  unfinished: number;
  /** From the order's creation until its last subscriber was done, for the orders done. */
  completionMs: Distribution | undefined;
  /** When the last done order's last subscriber finished (epoch ms). */
  lastDoneAt: number | undefined;
}

export interface EffectsTrace extends EffectsOutcome {
  /** Each done order's life from creation to its last effect, for the backlog. */
  intervals: Interval[];
}

const batchSize = 100;

export interface AwaitOptions {
  timeoutMs: number;
  /** Stop early when no order settled for this long: what is left is stuck. */
  stallMs: number;
  pollMs?: number;
}

/**
 * Waits until every order's subscribers are done or dead-lettered, `timeoutMs` passes, or nothing
 * moves for `stallMs`. It reads a batch at a time, oldest first, and moves on only once a batch
 * is settled, so that waiting adds little load to the emulator the subscribers work against.
 */
export async function awaitEffects(
  db: Firestore,
  subscribers: readonly string[],
  orders: readonly PlacedRef[],
  { timeoutMs, stallMs, pollMs = 500 }: AwaitOptions,
): Promise<EffectsTrace> {
  const deadline = Date.now() + timeoutMs;
  let movedAt = Date.now();
  const pending = [...orders].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const settled = new Map<string, SettledOrder>();
  const look = async (batch: readonly PlacedRef[]) => {
    const states = await readFulfilment(db, subscribers, batch);
    for (const order of batch) {
      const result = settle(order, states.get(order.id) ?? []);
      if (result) settled.set(order.id, result);
    }
    return batch.filter((o) => !settled.has(o.id));
  };
  while (pending.length > 0 && Date.now() < deadline && Date.now() - movedAt < stallMs) {
    const batch = pending.slice(0, batchSize);
    const unsettled = await look(batch);
    pending.splice(0, batch.length, ...unsettled);
    if (unsettled.length < batch.length) movedAt = Date.now();
    if (unsettled.length > 0) await sleep(pollMs);
  }
  // One last look at everything still pending, so that the count of unfinished orders is exact.
  for (let i = 0; i < pending.length; i += batchSize) await look(pending.slice(i, i + batchSize));
  const done = [...settled.values()].filter((o) => o.doneAt !== undefined);
  const intervals = done.map((o) => ({ start: o.createdAt, end: o.doneAt ?? o.createdAt }));
  return {
    orders: orders.length,
    done: done.length,
    deadLettered: settled.size - done.length,
    unfinished: orders.length - settled.size,
    completionMs: distribution(intervals.map((i) => i.end - i.start)),
    lastDoneAt: intervals.length ? Math.max(...intervals.map((i) => i.end)) : undefined,
    intervals,
  };
}

interface SettledOrder {
  createdAt: number;
  /** Absent when some subscriber dead-lettered it. */
  doneAt: number | undefined;
}

/** The order's outcome when every subscriber has finished with it, undefined until then. */
function settle(order: PlacedRef, records: readonly FulfilmentRecord[]): SettledOrder | undefined {
  if (records.some((r) => r.state !== 'done' && r.state !== 'dead-lettered')) return undefined;
  const createdAt = Date.parse(order.createdAt);
  if (records.some((r) => r.state === 'dead-lettered')) return { createdAt, doneAt: undefined };
  return { createdAt, doneAt: Math.max(...records.map((r) => Date.parse(r.updatedAt ?? ''))) };
}

/** Each order's fulfilment record per subscriber; a subscriber that has not begun counts as pending. */
async function readFulfilment(
  db: Firestore,
  subscribers: readonly string[],
  orders: readonly PlacedRef[],
): Promise<Map<string, FulfilmentRecord[]>> {
  const refs = orders.flatMap((o) =>
    subscribers.map((s) => db.collection(fulfilmentCollection(o.id)).doc(s)),
  );
  const snapshots = await db.getAll(...refs);
  const records = new Map<string, FulfilmentRecord[]>();
  snapshots.forEach((snapshot, i) => {
    const orderId = orders[Math.floor(i / subscribers.length)]?.id ?? '';
    const record = (snapshot.data() as FulfilmentRecord | undefined) ?? {
      state: 'pending',
      attempts: 0,
    };
    records.set(orderId, [...(records.get(orderId) ?? []), record]);
  });
  return records;
}

/** The bench's orders created between `from` and `to`, answered or not. */
export async function ordersCreatedBetween(
  db: Firestore,
  from: number,
  to: number,
): Promise<PlacedRef[]> {
  const snapshot = await db
    .collection('orders')
    .where('createdAt', '>=', new Date(from).toISOString())
    .where('createdAt', '<=', new Date(to).toISOString())
    .select('createdAt', 'customer.id')
    .get();
  return snapshot.docs
    .filter((doc) => String(doc.get('customer.id')).startsWith(benchCustomerPrefix))
    .map((doc) => ({ id: doc.id, createdAt: String(doc.get('createdAt')) }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
