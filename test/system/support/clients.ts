import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { createFirestore, createPubSub } from '@orderflow/platform';
import { upsertCatalog, type Catalog } from '@orderflow/tools/shared/catalog';
import { issuerUrl, localAudience } from '@orderflow/tools/local/config';
import { loadOrCreateDevKey, signDevToken } from '@orderflow/tools/local/dev-issuer';
import { repoRoot } from '@orderflow/tools/local/system';
import { localSystem, onSystemStop, testConfig } from '../fixture.js';

let db: Firestore | undefined;
let ps: PubSub | undefined;

export const firestore = () => (db ??= createFirestore(testConfig));
export const pubsub = () => (ps ??= createPubSub(testConfig));

/** Lets the test process end: open clients keep it alive. */
async function closeClients(): Promise<void> {
  await Promise.all([db?.terminate(), ps?.close()]);
  db = undefined;
  ps = undefined;
}
onSystemStop(closeClients);

export interface TestCustomer {
  id: string;
  email: string;
  token: string;
}

/** A new customer, with a token from the local development issuer. */
export async function aCustomer(): Promise<TestCustomer> {
  const id = `customer-${randomUUID()}`;
  const email = `${id}@example.test`;
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  const token = await signDevToken(key, {
    sub: id,
    email,
    issuer: issuerUrl(testConfig),
    audience: localAudience,
  });
  return { id, email, token };
}

/** A token of someone acting for the seller, from the local development issuer. */
export async function aSellerToken(sellerId: string): Promise<string> {
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  return signDevToken(key, {
    sub: `${sellerId}-staff`,
    sellerId,
    issuer: issuerUrl(testConfig),
    audience: localAudience,
  });
}

type Product = Catalog['products'][number];
type Seller = Catalog['sellers'][number];

export interface TestCatalog {
  sellers: Seller[];
  products: Product[];
}

/**
 * Sellers and products of this test alone: unique ids, webhooks pointed at the
 * local webhook sink unless the seller is given `webhook: false`.
 */
export async function aCatalog(spec: {
  sellers?: { webhook?: boolean }[];
  products: (Partial<Omit<Product, 'id'>> & { seller?: number })[];
}): Promise<TestCatalog> {
  const run = randomUUID().slice(0, 8);
  const sellers: Seller[] = (spec.sellers ?? [{}]).map((s, i) => {
    const id = `seller-${run}-${i}`;
    return {
      id,
      name: `Seller ${i}`,
      email: `${id}@sellers.test`,
      ...(s.webhook === false
        ? {}
        : { webhookUrl: `${localSystem().urls.webhooks}/sellers/${id}` }),
    };
  });
  const products: Product[] = spec.products.map(({ seller = 0, ...p }, i) => ({
    id: `product-${run}-${i}`,
    sellerId: sellers[seller]?.id ?? 'missing-seller',
    name: `Product ${i}`,
    priceCents: 1000,
    currency: 'EUR',
    stock: 10,
    ...p,
  }));
  await upsertCatalog(firestore(), { sellers, products });
  return { sellers, products };
}
