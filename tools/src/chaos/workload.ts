import type { Catalog } from '../shared/catalog.js';
import type { Random } from './random.js';

/** What the load does, drawn from the seed before it starts. */
export interface Workload {
  catalog: Catalog;
  /** The seller whose endpoint fails for the whole load, until recovery. */
  downSeller: string;
  customers: Customer[];
  orders: PlannedOrder[];
}

export interface Customer {
  id: string;
  email: string;
}

export interface PlannedOrder {
  /** When it is sent, in ms from the start of the load. */
  atMs: number;
  customer: Customer;
  items: { productId: string; quantity: number }[];
  /** The Idempotency-Key every attempt of this order carries. */
  key: string;
  /** How many attempts the client makes before it gives up, each followed by its backoff. */
  backoffMs: number[];
}

const sellerCount = 5;
const quietProducts = 16;
/** A single-document hot product and two sharded ones: contention within and across shards. */
const hotShards = [1, 4, 8];
const customerCount = 24;

/**
 * Sellers, products and customers of this run (`run` keeps the ids of two runs of one seed
 * apart), and the orders: Poisson arrivals at `rate` a second, one to three lines, hot products
 * often, whose stock runs out near the end of the load.
 */
export function drawWorkload(
  random: Random,
  { run, rate, loadMs, sinkUrl }: { run: string; rate: number; loadMs: number; sinkUrl: string },
): Workload {
  const id = (kind: string, i: number) => `chaos-${run}-${kind}-${i}`;
  const sellers = Array.from({ length: sellerCount }, (_, i) => ({
    id: id('seller', i),
    name: `Chaos seller ${i}`,
    email: `${id('seller', i)}@sellers.test`,
    webhookUrl: `${sinkUrl}/sellers/${id('seller', i)}`,
  }));
  const expected = Math.max(1, Math.round((rate * loadMs) / 1000));
  const hot = hotShards.map((shards, i) => ({
    id: id('hot', i),
    sellerId: random.pick(sellers).id,
    name: `Chaos hot product ${i}`,
    priceCents: 1500 + 100 * i,
    currency: 'EUR',
    stock: Math.max(10, Math.round(expected / 8)),
    stockShards: shards,
  }));
  const quiet = Array.from({ length: quietProducts }, (_, i) => ({
    id: id('product', i),
    sellerId: random.pick(sellers).id,
    name: `Chaos product ${i}`,
    priceCents: random.int(500, 20_000),
    currency: 'EUR',
    stock: 10 * expected,
  }));
  const customers = Array.from({ length: customerCount }, (_, i) => ({
    id: id('customer', i),
    email: `${id('customer', i)}@customers.test`,
  }));
  const orders: PlannedOrder[] = [];
  for (let atMs = nextArrival(random, rate); atMs < loadMs; atMs += nextArrival(random, rate)) {
    const lines = random.pick([1, 1, 1, 2, 2, 3]);
    const products = random.sample([...hot, ...hot, ...quiet], lines + 1);
    const distinct = [...new Map(products.map((p) => [p.id, p])).values()].slice(0, lines);
    orders.push({
      atMs: Math.round(atMs),
      customer: random.pick(customers),
      items: distinct.map((p) => ({
        productId: p.id,
        quantity: 'stockShards' in p ? 1 : random.int(1, 3),
      })),
      key: `${run}-${orders.length}`,
      backoffMs: Array.from({ length: random.int(1, 6) }, (_, i) => random.int(250, 1000 * 2 ** i)),
    });
  }
  return {
    catalog: { sellers, products: [...hot, ...quiet] },
    downSeller: random.pick(sellers).id,
    customers,
    orders,
  };
}

/** The time to the next arrival of a Poisson process of `rate` a second, in ms. */
function nextArrival(random: Random, rate: number): number {
  return (-Math.log(random.int(1, 1_000_000) / 1_000_001) / rate) * 1000;
}
