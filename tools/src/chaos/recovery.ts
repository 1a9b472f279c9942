import type { Firestore } from '@google-cloud/firestore';
import type { ServiceName } from '@orderflow/topology';
import type { LocalSystem } from '../local/system.js';
import { fulfilmentOf, storedOrders } from './observe.js';
import { killable } from './schedule.js';

export interface SettleOptions {
  /** The longest wait. */
  timeoutMs: number;
  /** Stop early when nothing moved for this long: what is left is stuck. */
  stallMs: number;
}

/** Starts again every process a fault left down (a restart that failed). */
export async function restartStopped(system: LocalSystem): Promise<string[]> {
  const stopped = killable.filter((instance) => system.cpuMs(instance) === undefined);
  for (const instance of stopped) {
    await system.startService(instance.split('#')[0] as ServiceName, undefined, instance);
  }
  return stopped;
}

/** Where the system stands: settled, or how far along (a change in `progress` is movement). */
export interface Standing {
  settled: boolean;
  progress: string;
}

/**
 * Polls `look` until the system is settled, the time is up, or nothing moved for `stallMs`;
 * returns how long it waited.
 */
export async function untilSettled(
  look: () => Promise<Standing>,
  { timeoutMs, stallMs }: SettleOptions,
): Promise<number> {
  const started = Date.now();
  let movedAt = started;
  let last = '';
  while (Date.now() - started < timeoutMs && Date.now() - movedAt < stallMs) {
    const { settled, progress } = await look().catch((error: unknown) => ({
      settled: false,
      progress: String(error),
    }));
    if (settled) break;
    if (progress !== last) [last, movedAt] = [progress, Date.now()];
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return Date.now() - started;
}

/**
 * The run's orders: settled once every subscriber is done or dead-lettered with each (`final`:
 * done only) and each order is in the analytics view.
 */
export function deliveries(
  db: Firestore,
  analyticsRows: () => Promise<number>,
  customerPrefix: string,
  subscribers: readonly string[],
  final: boolean,
): () => Promise<Standing> {
  return async () => {
    const orders = await storedOrders(db, customerPrefix);
    const states = [...(await fulfilmentOf(db, orders, subscribers)).values()].flatMap((s) =>
      Object.values(s),
    );
    const rows = await analyticsRows();
    const over = (s: string) => s === 'done' || (!final && s === 'dead-lettered');
    return {
      settled: states.every(over) && rows >= orders.length,
      progress: JSON.stringify({ ...countStates(states), rows }),
    };
  };
}

function countStates(states: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of states) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
