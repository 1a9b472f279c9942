import type { JWK } from 'jose';
import { signDevToken } from '../local/dev-issuer.js';
import { placeCarefully, type ClientOutcome, type ClientRecord } from './client.js';
import type { Workload } from './workload.js';

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  /** Every request and answer, in the order they ended. */
  log: ClientRecord[];
  /** Each order's outcome as its client knows it, by Idempotency-Key. */
  outcomes: Map<string, ClientOutcome>;
}

/**
 * Sends each planned order at its time from `startedAt`, open loop (a slow answer does not hold the next order
 * back), each by a careful client; resolves when every client has its outcome.
 */
export async function runLoad(
  orderApi: string,
  workload: Workload,
  issuer: { key: JWK; issuer: string; audience: string },
  startedAt: number,
): Promise<LoadResult> {
  const log: ClientRecord[] = [];
  const outcomes = new Map<string, ClientOutcome>();
  await Promise.all(
    workload.orders.map(async (order) => {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, startedAt + order.atMs - Date.now())),
      );
      const { customer } = order;
      const token = () =>
        signDevToken(issuer.key, { sub: customer.id, email: customer.email, ...issuer });
      const outcome = await placeCarefully(orderApi, order, { id: customer.id, token }, (r) =>
        log.push(r),
      );
      outcomes.set(order.key, outcome);
    }),
  );
  return { startedAt, endedAt: Date.now(), log, outcomes };
}
