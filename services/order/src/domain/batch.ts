/**
 * Group commit's decision: the orders of one batch, read against one reading of their stock,
 * decided one after the other in arrival order, each as if it came alone after the ones before.
 * Each order is all or nothing; one that the stock left cannot serve is refused and the next
 * ones go on. Where the decisions are stored, and how, is the store's business.
 */
import type { CloudEvent } from '@orderflow/events';
import { orderPlaced } from './events.js';
import {
  earlierOrder,
  idempotencyRecord,
  type IdempotencyKey,
  type IdempotencyRecord,
} from './idempotency.js';
import { placeOrder, type Customer, type Order, type OrderItem, type Product } from './order.js';
import { sum, takeFromShards } from './stock-shards.js';

export interface BatchMember {
  orderId: string;
  eventId: string;
  customer: Customer;
  items: readonly OrderItem[];
  now: Date;
  idempotency?: IdempotencyKey | undefined;
}

/** A product's stock as the batch read it and its members have left it so far. */
export interface StockState {
  /** One level per shard, or the one level of a product that holds its stock itself. */
  levels: readonly number[];
  sharded: boolean;
}

export interface Batch {
  /** The catalog entries of the batch's products; their own `stock` is not read. */
  products: ReadonlyMap<string, Product>;
  stock: ReadonlyMap<string, StockState>;
  /**
   * The shard each member starts taking from, modulo a product's count of shards: one for the
   * whole batch, so that it touches few shards, and random, so that batches elsewhere touch others.
   */
  startShard: number;
  /** The keys of the members placed so far, by `keyId`. */
  keys: ReadonlyMap<string, IdempotencyRecord>;
}

export type MemberDecision =
  | { kind: 'placed'; order: Order; event: CloudEvent }
  /** The same Idempotency-Key and body as an earlier member: that member's order. */
  | { kind: 'replayed'; orderId: string }
  | { kind: 'refused'; error: unknown };

export const newBatch = (
  products: ReadonlyMap<string, Product>,
  stock: ReadonlyMap<string, StockState>,
  startShard: number,
): Batch => ({ products, stock, startShard, keys: new Map() });

/** Decides one more member; the batch it gives is the one the next member is decided against. */
export function decideMember(
  batch: Batch,
  member: BatchMember,
): { batch: Batch; decision: MemberDecision } {
  try {
    const key = member.idempotency;
    const earlier = key && earlierOrder(batch.keys.get(keyId(key)), key, member.now);
    if (earlier) return { batch, decision: { kind: 'replayed', orderId: earlier } };
    const { order, stock } = placeOrder({ ...member, products: available(batch, member) });
    const stockTaken: Order['stockTaken'] = [];
    const next = new Map(batch.stock);
    for (const level of stock) {
      const state = batch.stock.get(level.productId);
      if (!state) throw new Error(`the stock of ${level.productId} was not read`);
      const levels = [...state.levels];
      const quantity = sum(levels) - level.stock;
      // placeOrder refused an order its stock cannot serve, so the shards together can.
      for (const [shard, left] of takeFromShards(levels, quantity, batch.startShard) ?? []) {
        const take = (levels[shard] ?? 0) - left;
        stockTaken.push({
          productId: level.productId,
          shard: state.sharded ? shard : null,
          quantity: take,
        });
        levels[shard] = left;
      }
      next.set(level.productId, { ...state, levels });
    }
    const placed = { ...order, stockTaken };
    const event = orderPlaced(placed, member.eventId);
    const keys = new Map(batch.keys);
    if (key) keys.set(keyId(key), idempotencyRecord(key, order.id, member.now));
    return {
      batch: { ...batch, stock: next, keys },
      decision: { kind: 'placed', order: placed, event },
    };
  } catch (error) {
    return { batch, decision: { kind: 'refused', error } };
  }
}

/** The member's products, each with the stock the members before it left. */
function available(batch: Batch, member: BatchMember): Map<string, Product> {
  const products = new Map<string, Product>();
  for (const { productId } of member.items) {
    const product = batch.products.get(productId);
    const state = batch.stock.get(productId);
    if (product && state) products.set(productId, { ...product, stock: sum(state.levels) });
  }
  return products;
}

/** A key as the batch tells keys apart: the customer's own. */
export const keyId = (key: IdempotencyKey) => `${key.customerId}\n${key.key}`;
