import type { FulfilmentRecord } from '@orderflow/events';
import type { SinkBehaviour } from '../local/webhook-sink.js';
import type { DeadLetter, DeadLetters, ReplayResult } from '../shared/dead-letters.js';
import type { OutboxReport } from '../shared/outbox.js';
import type { Trace } from '../shared/traces.js';

export type { DeadLetter, OutboxReport, ReplayResult, SinkBehaviour, Trace };

/** An order as the console shows it: the order document and where each subscriber stands. */
export interface OrderView {
  order: {
    id: string;
    customer: { id: string; email: string };
    lines: { productId: string; sellerId: string; name: string; quantity: number }[];
    totalCents: number;
    currency: string;
    createdAt: string;
  };
  /** Keyed by subscriber; a subscriber that has not seen the event yet has no record. */
  fulfilment: Record<string, FulfilmentRecord>;
}

/** What the orders list shows: the newest orders, or those matching an order or customer id. */
export type OrderFilter = { search?: string };

export type Unsubscribe = () => void;

/** A value watched while someone looks: called with the current value, then on every change. */
export interface Watchable<T> {
  watch(onValue: (value: T) => void, onError: (error: unknown) => void): Unsubscribe;
}

export interface Orders {
  recent(filter: OrderFilter): Watchable<OrderView[]>;
  one(orderId: string): Watchable<OrderView | undefined>;
}

/** The dead letters of every subscriber, and their replay to that subscriber alone. */
export type DeadLetterDesk = Pick<DeadLetters, 'list' | 'replay' | 'replayOne'>;

export interface OutboxDesk {
  status(now: Date): Promise<OutboxReport>;
}

export type SegmentCounts = Record<string, number>;

export interface SegmentDesk {
  distribution(): Promise<SegmentCounts>;
}

/** Local only: the spans the services exported, from the local span store. */
export interface TraceDesk {
  ofOrder(orderId: string): Promise<Trace | undefined>;
}

/** Local only: the switches of the demo, which make the seller stand-in fail or slow. */
export interface DemoSwitches {
  sellers(): Promise<{ id: string; name: string }[]>;
  behaviours(): Promise<Record<string, SinkBehaviour>>;
  set(sellerId: string, behaviour: SinkBehaviour): Promise<void>;
}

export interface ConsoleDeps {
  orders: Orders;
  deadLetters: DeadLetterDesk;
  outbox: OutboxDesk;
  segments: SegmentDesk;
  /** Absent against a real project, whose traces are in Cloud Trace. */
  traces: TraceDesk | undefined;
  /** Absent against a real project. */
  demo: DemoSwitches | undefined;
  /** Every subscriber of `order.placed`, in the order the picture shows them. */
  subscribers: readonly string[];
  /** Every subscriber of any topic: whose dead letters the console lists and replays. */
  allSubscribers: readonly string[];
  /** How often the polled panels (dead letters, outbox, segments) are read while someone looks. */
  pollMs: number;
}
