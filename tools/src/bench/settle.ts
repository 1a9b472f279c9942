import { setTimeout as sleep } from 'node:timers/promises';
import type { SaturationSettings } from './settings.js';

/** Ways of placing one order, by name: each side of a search, or each layout through each instance. */
export type Probes = Readonly<Record<string, () => Promise<unknown>>>;

/**
 * After a failed step of a search (saturation, hot product): a new Pub/Sub emulator where the
 * bench runs the system (`renew`), then a wait until every probe places a few orders in a row
 * quickly, one at a time. The orders that step gave up on are still being committed and
 * published meanwhile, and a step started at once failed at rates that had passed before
 * (docs/benchmarks.md, saturation): for the hot product, the sharded layout's next step met the
 * Firestore emulator still working off the single document's queue.
 *
 * The emulator is replaced because an overload leaves it degraded: its gRPC server fails on each
 * call its client cancels ("Exception in onRstStreamRead", a NoSuchMethodError inside the
 * emulator), and for minutes afterwards it answered publishes late, for the order service after
 * a restart too. Every step then ran against a degraded emulator, failing at rates that had
 * passed. The messages it held go with it: the subscribers' deliveries are held anyway.
 */
export async function settleAfterFailedStep(
  progress: (line: string) => void,
  settings: SaturationSettings['recovery'],
  probes: Probes,
  renew: () => Promise<boolean>,
): Promise<void> {
  const started = performance.now();
  const renewed = await renew();
  const slow = await untilQuick(settings, probes);
  const seconds = Math.round((performance.now() - started) / 1000);
  const how = renewed ? ', with a new Pub/Sub emulator' : '';
  progress(
    slow === undefined
      ? `  recovered after ${seconds} s${how}`
      : `  still slow after ${seconds} s${how} (${slow}); the next step starts anyway`,
  );
}

/**
 * Places orders one at a time until each probe has placed `orders` in a row under `recoveredMs`;
 * undefined then, or after `maxSeconds` what the slow probe's last order did.
 */
async function untilQuick(
  { orders, recoveredMs, maxSeconds }: SaturationSettings['recovery'],
  probes: Probes,
): Promise<string | undefined> {
  const started = performance.now();
  for (const [name, probe] of Object.entries(probes)) {
    let last = '';
    for (let fast = 0; fast < orders;) {
      if (performance.now() - started > maxSeconds * 1000) return `${name}: ${last}`;
      const t0 = performance.now();
      const failure = await probe().then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const ms = Math.round(performance.now() - t0);
      last =
        failure === undefined
          ? `its last order took ${ms} ms`
          : `its last order failed: ${failure}`;
      fast = failure === undefined && ms < recoveredMs ? fast + 1 : 0;
      if (fast === 0) await sleep(500);
    }
  }
  return undefined;
}
