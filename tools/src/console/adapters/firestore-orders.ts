import type { Firestore, Query } from '@google-cloud/firestore';
import { fulfilmentCollection, type FulfilmentRecord } from '@orderflow/events';
import type { OrderFilter, OrderView, Orders, Unsubscribe, Watchable } from '../ports.js';

/** The orders list holds this many; each shown order costs one more listener (its fulfilment). */
export const recentLimit = 20;

type Order = OrderView['order'];
type Source = (
  onOrders: (orders: Order[]) => void,
  onError: (error: unknown) => void,
) => Unsubscribe;

/**
 * Orders and their fulfilment from Firestore snapshot listeners, so a change reaches the page
 * without polling and costs one read per changed document. Listeners run only while a page
 * watches. Searching by customer needs the composite index (customer.id, createdAt desc) that
 * the Pulumi program declares.
 */
export class FirestoreOrders implements Orders {
  constructor(private readonly db: Firestore) {}

  recent(filter: OrderFilter): Watchable<OrderView[]> {
    const orders = this.db.collection('orders');
    const newest = (query: Query) =>
      this.querySource(query.orderBy('createdAt', 'desc').limit(recentLimit));
    const search = filter.search;
    const sources = search
      ? [this.docSource(search), newest(orders.where('customer.id', '==', search))]
      : [newest(orders)];
    return { watch: (onValue, onError) => this.watchOrders(sources, onValue, onError) };
  }

  one(orderId: string): Watchable<OrderView | undefined> {
    return {
      watch: (onValue, onError) =>
        this.watchOrders([this.docSource(orderId)], (views) => onValue(views[0]), onError),
    };
  }

  private docSource(orderId: string): Source {
    return (onOrders, onError) =>
      this.db
        .collection('orders')
        .doc(orderId)
        .onSnapshot((doc) => onOrders(doc.exists ? [doc.data() as Order] : []), onError);
  }

  private querySource(query: Query): Source {
    return (onOrders, onError) =>
      query.onSnapshot(
        (snapshot) => onOrders(snapshot.docs.map((d) => d.data() as Order)),
        onError,
      );
  }

  /**
   * Joins the sources' orders with a fulfilment listener per shown order. Snapshots that arrive
   * together are emitted once, and nothing is emitted before every listener has reported.
   */
  private watchOrders(
    sources: Source[],
    onValue: (views: OrderView[]) => void,
    onError: (error: unknown) => void,
  ): Unsubscribe {
    const found: (Order[] | undefined)[] = sources.map(() => undefined);
    const fulfilment = new Map<
      string,
      { records?: Record<string, FulfilmentRecord>; stop: Unsubscribe }
    >();
    let scheduled = false;
    let stopped = false;

    const emit = () => {
      scheduled = false;
      if (stopped || found.some((f) => f === undefined)) return;
      const views: OrderView[] = [];
      for (const order of this.merged(found as Order[][])) {
        const records = fulfilment.get(order.id)?.records;
        if (!records) return;
        views.push({ order, fulfilment: records });
      }
      onValue(views);
    };
    const schedule = () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(emit);
    };
    const follow = (shown: Order[]) => {
      const ids = new Set(shown.map((o) => o.id));
      for (const [id, entry] of fulfilment) {
        if (!ids.has(id)) {
          entry.stop();
          fulfilment.delete(id);
        }
      }
      for (const id of ids) {
        if (fulfilment.has(id)) continue;
        const entry: { records?: Record<string, FulfilmentRecord>; stop: Unsubscribe } = {
          stop: this.db.collection(fulfilmentCollection(id)).onSnapshot((snapshot) => {
            entry.records = Object.fromEntries(
              snapshot.docs.map((d) => [d.id, d.data() as FulfilmentRecord]),
            );
            schedule();
          }, onError),
        };
        fulfilment.set(id, entry);
      }
    };

    const stops = sources.map((source, i) =>
      source((orders) => {
        found[i] = orders;
        if (found.every((f) => f !== undefined)) follow(this.merged(found));
        schedule();
      }, onError),
    );
    return () => {
      stopped = true;
      for (const stop of stops) stop();
      for (const entry of fulfilment.values()) entry.stop();
      fulfilment.clear();
    };
  }

  /** Newest first, each order once, at most `recentLimit`. */
  private merged(found: Order[][]): Order[] {
    const byId = new Map(found.flat().map((o) => [o.id, o]));
    return [...byId.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, recentLimit);
  }
}
