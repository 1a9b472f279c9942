import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Catalog } from '../shared/catalog.js';
import { signDevToken } from '../local/dev-issuer.js';

/** Sellers whose webhooks all point at the sink, so one behaviour change reaches every order. */
const sellerCount = 10;
/** Enough that no run empties a product, the hot one included. */
const stockPerProduct = 10_000_000;

const productId = (i: number) => `bench-product-${String(i).padStart(4, '0')}`;
export const hotProductId = productId(0);

/** The two layouts of one hot product compared (`--hot`), each a product of the bench catalog. */
export const hotLayouts = [
  { layout: 'single', productId: 'bench-hot-single', shards: 1 },
  { layout: 'sharded', productId: 'bench-hot-sharded', shards: 16 },
] as const;
export type HotLayout = (typeof hotLayouts)[number]['layout'];

export function benchCatalog(products: number, webhookSinkUrl: string): Catalog {
  const sellers = Array.from({ length: sellerCount }, (_, i) => ({
    id: `bench-seller-${i}`,
    name: `Bench seller ${i}`,
    email: `bench-seller-${i}@sellers.test`,
    webhookUrl: `${webhookSinkUrl}/sellers/bench-seller-${i}`,
  }));
  return {
    sellers,
    products: [
      ...Array.from({ length: products }, (_, i) => ({
        id: productId(i),
        sellerId: `bench-seller-${i % sellerCount}`,
        name: `Bench product ${i}`,
        priceCents: 1000 + i,
        currency: 'EUR',
        stock: stockPerProduct,
      })),
      // The hot-product comparison's (`--hot`): the same product, its stock laid out two ways.
      ...hotLayouts.map(({ productId: id, layout, shards }) => ({
        id,
        sellerId: 'bench-seller-0',
        name: `Bench hot product, ${layout}`,
        priceCents: 999,
        currency: 'EUR',
        stock: stockPerProduct,
        stockShards: shards,
      })),
    ],
  };
}

export interface BenchCustomer {
  id: string;
  email: string;
  token: string;
}

export const benchCustomerPrefix = 'bench-customer-';

/** Customers of the development issuer, so the order service verifies real tokens. */
export async function benchCustomers(
  count: number,
  key: JWK,
  issuer: { issuer: string; audience: string },
): Promise<BenchCustomer[]> {
  const run = randomUUID().slice(0, 8);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const id = `${benchCustomerPrefix}${run}-${i}`;
      const email = `${id}@customers.test`;
      return { id, email, token: await signDevToken(key, { sub: id, email, ...issuer }) };
    }),
  );
}

export interface OrderDraft {
  customer: BenchCustomer;
  items: { productId: string; quantity: number }[];
}

/** The next order of a run: customers in turn, one product, the hot one or the next of the catalog. */
export function orderDrafts(
  customers: readonly BenchCustomer[],
  products: number,
  spread: 'spread' | 'hot',
): () => OrderDraft {
  let n = 0;
  return () => {
    const i = n++;
    const customer = customers[i % customers.length];
    if (!customer) throw new Error('no bench customers');
    const product = spread === 'hot' ? hotProductId : productId(i % products);
    return { customer, items: [{ productId: product, quantity: 1 }] };
  };
}

/**
 * The order services the hot-product load is spread over, as Cloud Run spreads it over instances:
 * two for each way of committing orders (`ORDER_COMMITS`), their ports after the port base.
 */
export const hotInstances = {
  'per-order': { portOffsets: [91, 92], env: { ORDER_COMMITS: 'per-order' } },
  shared: { portOffsets: [95, 96], env: { ORDER_COMMITS: 'shared' } },
} as const;
export type HotCommits = keyof typeof hotInstances;
