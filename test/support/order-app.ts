import type { Express } from 'express';
import { orderPlacedType } from '@orderflow/events';
import { subscribersOf, topology } from '@orderflow/topology';
import { InMemoryOrderStore } from '@orderflow/order/adapters/in-memory-order-store';
import { InMemoryOrderTransitions } from '@orderflow/order/adapters/in-memory-order-transitions';
import { JwksAuthenticator } from '@orderflow/order/adapters/jwks-authenticator';
import { createApp, type OrderAppDeps } from '@orderflow/order/app';
import type { Customer, Product } from '@orderflow/order/domain/order';
import type { RateLimits } from '@orderflow/order/http/rate-limits';
import { defaultRelaySettings, type EventPublisher } from '@orderflow/outbox';
import { BearerTokenVerifier, JwksSellerAuthenticator, sellerClaim } from '@orderflow/platform';
import { ManualClock } from './clock.js';
import { checkResponsesAgainstContract } from './contract.js';
import { bearer, type TestIssuer, type TokenOptions } from './identity.js';
import { silentLogger } from './logger.js';
import { RecordingPublisher } from './publisher.js';

/** The one web origin the harness's app lets call it from a browser. */
export const shopOrigin = 'https://shop.example';

export interface OrderAppHarness {
  app: Express;
  store: InMemoryOrderStore;
  publisher: RecordingPublisher;
  clock: ManualClock;
  /** The Authorization header of a customer, from the harness's issuer. */
  authorization(customer: Customer, options?: TokenOptions): Promise<string>;
  /** The Authorization header of someone acting for a seller. */
  sellerAuthorization(sellerId: string): Promise<string>;
  /** What a request may change: stock, orders, outbox and published events. */
  snapshot(): OrderAppState;
}

export interface OrderAppState {
  stock: Record<string, number>;
  orders: number;
  outbox: number;
  published: number;
}

export interface OrderAppOptions {
  issuer: TestIssuer;
  products?: readonly Product[];
  /** Replaces the recording publisher in the app (the harness still exposes its own). */
  publisher?: EventPublisher;
  deps?: Partial<OrderAppDeps>;
  /** By default, more than any test sends: the limits have tests of their own. */
  rateLimits?: RateLimits;
}

const unlimited: RateLimits = {
  customer: { perSecond: 1e6, burst: 1e6 },
  address: { perSecond: 1e6, burst: 1e6 },
};

/** The order service over in-memory adapters, with a catalog and a JWKS authenticator. */
export function anOrderApp(options: OrderAppOptions): OrderAppHarness {
  const { issuer } = options;
  const store = new InMemoryOrderStore();
  for (const product of options.products ?? []) store.products.set(product.id, { ...product });
  const publisher = new RecordingPublisher();
  const clock = new ManualClock();
  let ids = 0;
  const topic = topology.topics.find((t) => t.eventType === orderPlacedType)!;
  const tokens = {
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: [issuer.algorithm],
    keys: issuer.keys,
  };
  const app = createApp({
    store,
    transitions: new InMemoryOrderTransitions(store),
    sellerAuthenticator: new JwksSellerAuthenticator(new BearerTokenVerifier(tokens)),
    outbox: store,
    publisher: options.publisher ?? publisher,
    authenticator: new JwksAuthenticator(tokens),
    clock: clock.now,
    newId: () => `id-${++ids}`,
    logger: silentLogger(),
    projectId: 'test-project',
    subscribers: subscribersOf(topology, topic.name),
    relay: defaultRelaySettings,
    browser: { corsOrigins: [shopOrigin], hsts: true },
    rateLimits: options.rateLimits ?? unlimited,
    trustedProxyHops: 1,
    timeouts: { requestMs: 10_000, publishMs: 1500 },
    ...options.deps,
  });
  checkResponsesAgainstContract(app);
  return {
    app,
    store,
    publisher,
    clock,
    authorization: async (customer, tokenOptions) =>
      bearer(await issuer.token({ sub: customer.id, email: customer.email }, tokenOptions)),
    sellerAuthorization: async (sellerId) =>
      bearer(await issuer.token({ sub: `${sellerId}-staff`, [sellerClaim]: sellerId })),
    snapshot: () => ({
      stock: Object.fromEntries([...store.products.values()].map((p) => [p.id, p.stock])),
      orders: store.orders.size,
      outbox: store.outbox.size,
      published: publisher.published.length,
    }),
  };
}
