import { placedSequence, type OrderLine, type OrderStatus } from '@orderflow/events';
import { AppError } from '@orderflow/platform/errors';
import type { Order } from './order.js';

/**
 * An order's life after it is placed. Each seller's part of an order moves on its own:
 * `pending` → `accepted` → `shipped`, or to `rejected` by its seller, or to `cancelled` by the
 * customer (allowed while no part has shipped). The order follows its parts: `cancelled` once
 * every part is rejected or cancelled, `shipped` once every remaining part has shipped.
 * These rules are pure; the store applies a decision in one guarded commit.
 */
export type PartState = 'pending' | 'accepted' | 'shipped' | 'rejected' | 'cancelled';

export interface Part {
  sellerId: string;
  state: PartState;
  trackingNumber?: string;
  reason?: string;
}

export interface Actor {
  kind: 'customer' | 'seller';
  id: string;
}

export type Action = 'placed' | 'cancelled' | 'accepted' | 'shipped' | 'rejected';

/** One step of the order's history: what happened, when, by whom, and its event's sequence. */
export interface HistoryEntry {
  sequence: number;
  at: string;
  action: Action;
  by: Actor;
  /** The part it concerned, for a seller's action. */
  sellerId?: string;
  reason?: string;
  trackingNumber?: string;
}

export interface Lifecycle {
  status: OrderStatus;
  parts: Part[];
  history: HistoryEntry[];
  /** The sequence of the order's latest event: 1 after `order.placed.v1`. */
  sequence: number;
}

/**
 * The order document: the placed order with `sellerIds` (to list a seller's orders) and, once a
 * transition wrote it, its lifecycle. Orders placed before these fields existed (and before
 * `stockTaken`) have none of them.
 */
export interface OrderRecord extends Omit<Order, 'stockTaken'>, Partial<Omit<Lifecycle, 'status'>> {
  sellerIds?: string[];
  stockTaken?: Order['stockTaken'];
}

export type Command =
  | { kind: 'cancel'; customerId: string; reason?: string | undefined }
  | { kind: 'accept'; sellerId: string }
  | { kind: 'ship'; sellerId: string; trackingNumber: string }
  | { kind: 'reject'; sellerId: string; reason: string };

export type Decision =
  | { kind: 'unchanged' }
  | {
      kind: 'changed';
      lifecycle: Lifecycle;
      /** The sellers whose parts this transition moved. */
      sellerIds: string[];
      /** The lines of the parts it cancelled or rejected: their stock returns, they are refunded. */
      cancelledLines: OrderLine[];
    };

export const sellersOf = (lines: readonly OrderLine[]) => [
  ...new Set(lines.map((l) => l.sellerId)),
];

/** The document placement writes: the order, and its sellers for `GET /seller/orders`. */
export const orderDocument = (order: Order): OrderRecord => ({
  ...order,
  sellerIds: sellersOf(order.lines),
});

/** The lifecycle of any order, with the defaults of one no transition has touched yet. */
export function lifecycleOf(order: OrderRecord): Lifecycle {
  return {
    status: order.status,
    parts:
      order.parts ?? sellersOf(order.lines).map((sellerId) => ({ sellerId, state: 'pending' })),
    history: order.history ?? [
      {
        sequence: placedSequence,
        at: order.createdAt,
        action: 'placed',
        by: { kind: 'customer', id: order.customer.id },
      },
    ],
    sequence: order.sequence ?? placedSequence,
  };
}

/**
 * What `command` does to the order: nothing when it was already done (a repeated request gets
 * the same answer), a change, or an error: `not-found` for an order that is not the caller's,
 * `not-cancellable` or `transition-not-allowed` when the order is past that point.
 */
export function decide(order: OrderRecord, command: Command, now: Date): Decision {
  const current = lifecycleOf(order);
  const moves =
    command.kind === 'cancel' ? cancelMoves(order, current, command) : partMoves(current, command);
  if (moves.length === 0) return { kind: 'unchanged' };
  const moved = new Map(moves.map((part) => [part.sellerId, part]));
  const parts = current.parts.map((part) => moved.get(part.sellerId) ?? part);
  const sequence = current.sequence + 1;
  const entry = historyEntry(command, sequence, now);
  const ended = new Set(moves.filter((p) => isEnded(p.state)).map((p) => p.sellerId));
  return {
    kind: 'changed',
    lifecycle: { status: statusOf(parts), parts, history: [...current.history, entry], sequence },
    sellerIds: [...moved.keys()],
    cancelledLines: order.lines.filter((line) => ended.has(line.sellerId)),
  };
}

const isEnded = (state: PartState) => state === 'rejected' || state === 'cancelled';

function statusOf(parts: readonly Part[]): OrderStatus {
  const live = parts.filter((part) => !isEnded(part.state));
  if (live.length === 0) return 'cancelled';
  return live.every((part) => part.state === 'shipped') ? 'shipped' : 'placed';
}

/** The parts a cancel moves; none when the order is already cancelled. */
function cancelMoves(
  order: OrderRecord,
  current: Lifecycle,
  command: Extract<Command, { kind: 'cancel' }>,
): Part[] {
  if (order.customer.id !== command.customerId) throw notFound(order.id);
  if (current.status === 'cancelled') return [];
  if (current.parts.some((part) => part.state === 'shipped')) {
    throw new AppError('not-cancellable', `a seller has shipped part of order ${order.id}`);
  }
  return current.parts
    .filter((part) => !isEnded(part.state))
    .map((part) => ({ sellerId: part.sellerId, state: 'cancelled' as const }));
}

/** The seller's part after its action; none when it was done before. */
function partMoves(current: Lifecycle, command: Exclude<Command, { kind: 'cancel' }>): Part[] {
  const part = current.parts.find((p) => p.sellerId === command.sellerId);
  // Another seller's order is answered exactly like a missing one.
  if (!part) throw notFound();
  const target = ({ accept: 'accepted', ship: 'shipped', reject: 'rejected' } as const)[
    command.kind
  ];
  if (part.state === target && repeats(part, command)) return [];
  if (part.state !== 'pending' && !(part.state === 'accepted' && target !== 'accepted')) {
    throw new AppError(
      'transition-not-allowed',
      `the part is ${part.state}, it cannot be ${target}`,
      {
        state: part.state,
      },
    );
  }
  return [
    {
      sellerId: part.sellerId,
      state: target,
      ...(command.kind === 'ship' ? { trackingNumber: command.trackingNumber } : {}),
      ...(command.kind === 'reject' ? { reason: command.reason } : {}),
    },
  ];
}

/** A repeated action is the same one again: shipping twice with another tracking number is not. */
function repeats(part: Part, command: Exclude<Command, { kind: 'cancel' }>): boolean {
  return command.kind !== 'ship' || part.trackingNumber === command.trackingNumber;
}

function historyEntry(command: Command, sequence: number, now: Date): HistoryEntry {
  const at = now.toISOString();
  if (command.kind === 'cancel') {
    return {
      sequence,
      at,
      action: 'cancelled',
      by: { kind: 'customer', id: command.customerId },
      ...(command.reason === undefined ? {} : { reason: command.reason }),
    };
  }
  const action = ({ accept: 'accepted', ship: 'shipped', reject: 'rejected' } as const)[
    command.kind
  ];
  return {
    sequence,
    at,
    action,
    by: { kind: 'seller', id: command.sellerId },
    sellerId: command.sellerId,
    ...(command.kind === 'ship' ? { trackingNumber: command.trackingNumber } : {}),
    ...(command.kind === 'reject' ? { reason: command.reason } : {}),
  };
}

function notFound(orderId?: string): AppError {
  return new AppError('not-found', orderId ? `no order ${orderId}` : 'no such order');
}
