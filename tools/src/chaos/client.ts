import type { PlannedOrder } from './workload.js';

/** One request of the client and what came back: the client's own log. */
export interface ClientRecord {
  key: string;
  customerId: string;
  attempt: number;
  sentAt: number;
  ms: number;
  /** Absent when no answer came: `error` says why (a timeout, a dropped connection). */
  status?: number;
  error?: string;
  orderId?: string;
  /** Answered by the order service itself (JSON), not by the front end before it (a 502 page). */
  fromService?: boolean;
}

/** How a client's order ended, as the client knows it. */
export type ClientOutcome =
  | { kind: 'placed'; orderId: string }
  /** A definite refusal: 4xx, such as 409 insufficient-stock. */
  | { kind: 'refused'; status: number }
  /** It gave up without a definite answer: the order may or may not have been placed. */
  | { kind: 'unknown' };

/** Past the order service's request deadline (10 s) and the front end's: no answer counts as lost. */
export const clientTimeoutMs = 20_000;

/** Answers a careful client retries, with the same key: only they may leave the order undecided. */
const retryable = (status: number) =>
  status === 429 || status === 502 || status === 503 || status === 504;

/**
 * A careful client: `POST /orders` with the order's Idempotency-Key; on 503, 429, a gateway error,
 * a timeout or a dropped connection, it waits its backoff (or the `Retry-After`, if longer) and
 * tries again with the same key, as many times as the plan gives it, then gives up.
 */
export async function placeCarefully(
  orderApi: string,
  order: PlannedOrder,
  customer: { id: string; token: () => Promise<string> },
  log: (record: ClientRecord) => void,
): Promise<ClientOutcome> {
  for (const [i, backoffMs] of order.backoffMs.entries()) {
    const record = await attempt(orderApi, order, customer, i + 1);
    log(record);
    const { status } = record;
    if (status === 200 || status === 201) return { kind: 'placed', orderId: record.orderId ?? '' };
    if (status !== undefined && !retryable(status)) return { kind: 'refused', status };
    if (i + 1 < order.backoffMs.length) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(backoffMs, record.retryAfterMs ?? 0)),
      );
    }
  }
  return { kind: 'unknown' };
}

async function attempt(
  orderApi: string,
  order: PlannedOrder,
  customer: { id: string; token: () => Promise<string> },
  attemptNo: number,
): Promise<ClientRecord & { retryAfterMs?: number }> {
  const sentAt = Date.now();
  const base = { key: order.key, customerId: customer.id, attempt: attemptNo, sentAt };
  try {
    const response = await fetch(`${orderApi}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await customer.token()}`,
        'content-type': 'application/json',
        'idempotency-key': order.key,
      },
      body: JSON.stringify({ items: order.items }),
      signal: AbortSignal.timeout(clientTimeoutMs),
    });
    const text = await response.text();
    const fromService = /json/.test(response.headers.get('content-type') ?? '');
    const body = fromService ? (JSON.parse(text) as { id?: unknown }) : {};
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ...base,
      ms: Date.now() - sentAt,
      status: response.status,
      fromService,
      ...(typeof body.id === 'string' ? { orderId: body.id } : {}),
      ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message = name === 'TimeoutError' ? 'timeout' : `connection: ${errorText(error)}`;
    return { ...base, ms: Date.now() - sentAt, error: message };
  }
}

const errorText = (error: unknown): string =>
  error instanceof Error
    ? ((error.cause as Error | undefined)?.message ?? error.message)
    : String(error);
