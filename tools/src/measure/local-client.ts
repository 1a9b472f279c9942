import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FulfilmentRecord } from '@orderflow/events';
import { createFirestore } from '@orderflow/platform';
import { issuerUrl, localAudience, type LocalConfig } from '../local/config.js';
import { loadOrCreateDevKey, signDevToken } from '../local/dev-issuer.js';
import { repoRoot } from '../local/system.js';
import { upsertCatalog } from '../shared/catalog.js';

export type LocalClient = Awaited<ReturnType<typeof localClient>>;

/** A client of the running local system, as a measuring customer with a seller of its own. */
export async function localClient(config: LocalConfig) {
  const api = `http://127.0.0.1:${config.ORDER_API_PORT}`;
  const sink = `http://127.0.0.1:${config.WEBHOOK_SINK_PORT}`;
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  const customerId = `measure-${randomUUID()}`;
  const token = await signDevToken(key, {
    sub: customerId,
    email: `${customerId}@example.test`,
    issuer: issuerUrl(config),
    audience: localAudience,
  });
  const run = randomUUID().slice(0, 8);
  const sellerId = `measure-seller-${run}`;
  const productId = `measure-product-${run}`;
  const firestore = createFirestore(config);
  await upsertCatalog(firestore, {
    sellers: [
      {
        id: sellerId,
        name: 'Measure',
        email: 'measure@sellers.test',
        webhookUrl: `${sink}/sellers/${sellerId}`,
      },
    ],
    products: [
      {
        id: productId,
        sellerId,
        name: 'Measure',
        priceCents: 100,
        currency: 'EUR',
        stock: 100_000,
      },
    ],
  });
  await firestore.terminate();

  return {
    /** Places one order; resolves with its id and the request's latency. */
    async order(): Promise<{ orderId: string; latencyMs: number }> {
      const started = performance.now();
      const response = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
      });
      const latencyMs = performance.now() - started;
      const body = (await response.json()) as { id: string };
      if (response.status !== 201)
        throw new Error(`order failed: ${response.status} ${JSON.stringify(body)}`);
      return { orderId: body.id, latencyMs };
    },
    async read(orderId: string) {
      const response = await fetch(`${api}/orders/${orderId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await response.json()) as {
        createdAt: string;
        fulfilment: Record<string, FulfilmentRecord>;
      };
    },
    /** Polls until every subscriber's record satisfies `done`; the time the last one changed. */
    async until(orderId: string, done: (r: FulfilmentRecord) => boolean, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const order = await this.read(orderId);
        const records = Object.values(order.fulfilment);
        if (records.every(done)) {
          const last = Math.max(...records.map((r) => Date.parse(r.updatedAt ?? order.createdAt)));
          return { order, elapsedMs: last - Date.parse(order.createdAt) };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`order ${orderId} not settled after ${timeoutMs} ms`);
    },
    async sellerEndpoint(behaviour: { status?: number; delayMs?: number }) {
      await fetch(`${sink}/behaviour`, {
        method: 'PUT',
        body: JSON.stringify({ sellerId, ...behaviour }),
      });
    },
  };
}
