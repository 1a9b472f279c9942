import { randomUUID } from 'node:crypto';
import type { FulfilmentRecord } from '@orderflow/events';
import { findSubscription, topology } from '@orderflow/topology';

export interface SmokeOptions {
  api: string;
  /** A customer's bearer token from the issuer the order service trusts. */
  token: string;
  /** The product to order one of; the first one in stock when absent. */
  productId?: string | undefined;
  /** How long the subscribers have, after the order, to be `done`. */
  timeoutMs: number;
  pollMs: number;
}

export interface SmokeStep {
  step: string;
  ok: boolean;
  /** From the start of the step, or for a subscriber from the order's 201. */
  ms: number;
  detail: string;
  /** Where to look when it failed. */
  lookAt?: string;
}

type Fetch = (path: string, init?: RequestInit) => Promise<{ status: number; body: unknown }>;

/**
 * Places one order through the public API and follows it until every subscriber is `done`:
 * each step's time, or the step that failed and where to look. It stops at the first failed
 * step of the request path; the subscribers are followed to the end, each on its own.
 */
export async function smoke(options: SmokeOptions): Promise<SmokeStep[]> {
  const steps: SmokeStep[] = [];
  const call: Fetch = async (path, init = {}) => {
    const response = await fetch(`${options.api}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(init.headers as Record<string, string> | undefined),
      },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : {} };
  };
  const timed = async (step: string, run: () => Promise<Omit<SmokeStep, 'step' | 'ms'>>) => {
    const started = performance.now();
    const result = await run().catch((error: unknown) => ({
      ok: false,
      detail: `no answer: ${error instanceof Error ? error.message : String(error)}`,
      lookAt: orderServiceLogs,
    }));
    steps.push({ step, ms: Math.round(performance.now() - started), ...result });
    return result.ok;
  };

  let productId = options.productId;
  let orderId = '';
  const ok =
    (await timed('health', async () => {
      const { status } = await call('/healthz');
      return { ok: status === 200, detail: `GET /healthz ${status}`, lookAt: orderServiceLogs };
    })) &&
    (await timed('catalog', async () => {
      const { status, products } = await catalogPages(call, productId);
      productId ??= products.find((p) => p.stock > 0)?.id;
      const found = products.some((p) => p.id === productId && p.stock > 0);
      return {
        ok: status === 200 && found,
        detail: found ? `product ${productId}` : `GET /products ${status}: no product in stock`,
        lookAt: 'the catalog: npm run seed -- <catalog.json>',
      };
    })) &&
    (await timed('order', async () => {
      const { status, body } = await call('/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `smoke-${randomUUID()}` },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
      });
      const { id } = body as { id?: unknown };
      orderId = typeof id === 'string' ? id : '';
      const problem = body as { code?: string; detail?: string };
      return status === 201
        ? { ok: true, detail: `order ${orderId}` }
        : {
            ok: false,
            detail: `POST /orders ${status} ${problem.code ?? ''}: ${problem.detail ?? ''}`,
            lookAt:
              status === 401
                ? "the token: its issuer and audience against the order service's AUTH_ISSUER and AUTH_AUDIENCE"
                : orderServiceLogs,
          };
    }));
  if (ok) steps.push(...(await followSubscribers(call, orderId, options)));
  return steps;
}

const orderServiceLogs = 'the order service: gcloud run services logs read order';

async function followSubscribers(
  call: Fetch,
  orderId: string,
  options: SmokeOptions,
): Promise<SmokeStep[]> {
  const placed = performance.now();
  const done = new Map<string, SmokeStep>();
  for (;;) {
    const { body } = await call(`/orders/${orderId}`);
    const last = (body as { fulfilment?: Record<string, FulfilmentRecord> }).fulfilment ?? {};
    const ms = Math.round(performance.now() - placed);
    for (const [subscriber, record] of Object.entries(last)) {
      if (done.has(subscriber)) continue;
      if (record.state === 'done')
        done.set(subscriber, { step: subscriber, ok: true, ms, detail: 'done' });
      if (record.state === 'dead-lettered') done.set(subscriber, failed(subscriber, record, ms));
    }
    const open = Object.entries(last).filter(([s]) => !done.has(s));
    if (open.length === 0 || ms >= options.timeoutMs) {
      for (const [subscriber, record] of open) done.set(subscriber, failed(subscriber, record, ms));
      return [...done.values()];
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

function failed(subscriber: string, record: FulfilmentRecord, ms: number): SmokeStep {
  const plan = findSubscription(topology, subscriber);
  const service = plan?.service ?? subscriber;
  const event = record.eventId ? ` with eventId ${record.eventId}` : '';
  const lookAt: Record<FulfilmentRecord['state'], string> = {
    pending:
      `never attempted: the push subscription ${plan?.subscription ?? subscriber} (oldest unacked ` +
      `message) and the request logs of ${service}: a 403 or 401 there is Cloud Run refusing the ` +
      `push (invoker, audience), a 404 the ingress`,
    retrying: `the logs of ${service}${event}`,
    'dead-lettered': `npm run -s dlq -- list --subscriber ${subscriber}, and the logs of ${service}${event}`,
    done: '',
  };
  const error = record.lastError ? `: ${record.lastError}` : '';
  return {
    step: subscriber,
    ok: false,
    ms,
    detail: `${record.state} after ${record.attempts} attempts${error}`,
    lookAt: lookAt[record.state],
  };
}

interface Product {
  id: string;
  stock: number;
}

/** The catalog's pages, up to the one holding `productId` (or the first page when absent). */
async function catalogPages(
  call: Fetch,
  productId: string | undefined,
): Promise<{ status: number; products: Product[] }> {
  const products: Product[] = [];
  let path: string | undefined = '/products?limit=100';
  let status = 0;
  while (path) {
    const page = await call(path);
    status = page.status;
    const body = page.body as { products?: Product[]; nextCursor?: string | null };
    products.push(...(body.products ?? []));
    const more = productId !== undefined && !products.some((p) => p.id === productId);
    path =
      status === 200 && more && body.nextCursor
        ? `/products?limit=100&cursor=${encodeURIComponent(body.nextCursor)}`
        : undefined;
  }
  return { status, products };
}
