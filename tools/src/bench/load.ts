import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { offeredRate, type Load } from './settings.js';
import type { OrderDraft } from './workload.js';

export interface LoadOptions {
  orderApi: string;
  load: Load;
  timeoutSeconds: number;
  nextOrder: () => OrderDraft;
}

/** An order the API answered 201 for. */
export interface PlacedRef {
  id: string;
  createdAt: string;
}

export interface LoadOutcome {
  startedAt: number;
  endedAt: number;
  /** Every request that got an answer or failed; those still in flight at the end are not counted. */
  requests: number;
  successes: number;
  /** Answered with a status other than 2xx, by status; `error` for timeouts and connection errors. */
  failures: Record<string, number>;
  /** The response time of every answered request, 2xx or not, in ms. */
  latenciesMs: number[];
  placed: PlacedRef[];
}

/** `POST /orders` with autocannon: a real token, its own Idempotency-Key and a fresh body per request. */
export async function loadOrders(options: LoadOptions): Promise<LoadOutcome> {
  const latenciesMs: number[] = [];
  const placed: PlacedRef[] = [];
  const failures: Record<string, number> = {};
  const fail = (reason: string) => (failures[reason] = (failures[reason] ?? 0) + 1);
  const startedAt = Date.now();
  const instance = autocannon({
    url: options.orderApi,
    connections: options.load.connections,
    duration: options.load.seconds,
    timeout: options.timeoutSeconds,
    overallRate: offeredRate(options.load),
    requests: [
      {
        method: 'POST',
        path: '/orders',
        setupRequest: (request) => {
          const { customer, items } = options.nextOrder();
          return {
            ...request,
            headers: {
              authorization: `Bearer ${customer.token}`,
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({ items }),
          };
        },
        onResponse: (status, body) => {
          if (status !== 201) return;
          const { id, createdAt } = JSON.parse(body) as PlacedRef;
          placed.push({ id, createdAt });
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    latenciesMs.push(ms);
    if (status < 200 || status > 299) fail(String(status));
  });
  instance.on('reqError', () => fail('error'));
  await instance;
  const { error: unanswered = 0, ...refused } = failures;
  const answered = latenciesMs.length;
  return {
    startedAt,
    endedAt: Date.now(),
    requests: answered + unanswered,
    successes: answered - Object.values(refused).reduce((sum, n) => sum + n, 0),
    failures,
    latenciesMs,
    placed,
  };
}

/** An outcome with nothing counted yet, started now. */
export const anEmptyOutcome = (): LoadOutcome => ({
  startedAt: Date.now(),
  endedAt: 0,
  requests: 0,
  successes: 0,
  failures: {},
  latenciesMs: [],
  placed: [],
});

/** Outcomes as one: every request of each, from the first start to the last end. */
export function mergeOutcomes(outcomes: readonly LoadOutcome[]): LoadOutcome {
  const failures: Record<string, number> = {};
  for (const outcome of outcomes) {
    for (const [reason, n] of Object.entries(outcome.failures))
      failures[reason] = (failures[reason] ?? 0) + n;
  }
  return {
    startedAt: Math.min(...outcomes.map((o) => o.startedAt)),
    endedAt: Math.max(...outcomes.map((o) => o.endedAt)),
    requests: outcomes.reduce((n, o) => n + o.requests, 0),
    successes: outcomes.reduce((n, o) => n + o.successes, 0),
    failures,
    latenciesMs: outcomes.flatMap((o) => o.latenciesMs),
    placed: outcomes.flatMap((o) => o.placed),
  };
}
