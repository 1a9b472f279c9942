import { createLogger } from '@orderflow/platform';
import {
  defaultRelaySettings,
  FirestoreOutbox,
  relayOutbox,
  type RelayReport,
} from '@orderflow/outbox';
import type { Floor } from './floor.js';
import { openLoop } from './open-loop.js';
import type { BenchContext } from './context.js';
import { round } from './statistics.js';
import { orderDrafts } from './workload.js';

/** What a Pub/Sub outage leaves behind, and how fast the relay publishes it afterwards. */
export interface RelayDrain {
  /** Orders committed without a publish, as in an outage: the outbox the relay finds. */
  committed: number;
  /** The relay's passes, as Cloud Scheduler would call them, until one found nothing. */
  passes: (RelayReport & { seconds: number })[];
  /** Events published per second of the passes that published. */
  eventsPerSecond: number;
}

/** Rate of the commits that fill the outbox: below the floor's saturation on this machine. */
const commitRate = 150;

/**
 * The outbox of an outage, drained: `events` orders committed by the floor's transaction alone
 * (no publish, as when Pub/Sub is down), then relay passes with the deployed settings, their grace
 * period aside, until one finds nothing. The order service is stopped meanwhile, so that its own
 * relay stays out of it, and the subscribers' deliveries are held.
 */
export async function measureRelayDrain(
  ctx: BenchContext,
  floor: Floor,
  events: number,
): Promise<RelayDrain> {
  const { target } = ctx;
  await target.architectures?.pause();
  const held = await target.holdDeliveries();
  try {
    ctx.progress(`relay drain: committing ${events} orders without publishing`);
    const filled = await openLoop(
      { rate: commitRate, seconds: events / commitRate, timeoutMs: 10_000 },
      orderDrafts(ctx.customers, ctx.settings.products, 'spread'),
      floor.operation('transaction'),
    );
    const deps = {
      outbox: new FirestoreOutbox(target.db),
      publisher: floor.eventPublisher(),
      clock: () => new Date(),
      logger: createLogger({ service: 'bench-relay' }, { level: 'warning' }),
    };
    const passes: RelayDrain['passes'] = [];
    for (let found = true; found && passes.length < 100;) {
      const started = performance.now();
      const report = await relayOutbox(deps, { ...defaultRelaySettings, graceMs: 0 });
      const seconds = round((performance.now() - started) / 1000, 2);
      passes.push({ ...report, seconds });
      ctx.progress(`  pass ${passes.length}: ${report.published} published in ${seconds} s`);
      found = report.published + report.failed + report.setAside + report.deferred > 0;
    }
    const publishing = passes.filter((p) => p.published > 0);
    const seconds = publishing.reduce((sum, p) => sum + p.seconds, 0);
    return {
      committed: filled.successes,
      passes,
      eventsPerSecond: seconds ? round(publishedBy(passes) / seconds) : 0,
    };
  } finally {
    await held.resume();
  }
}

const publishedBy = (passes: RelayDrain['passes']) =>
  passes.reduce((sum, p) => sum + p.published, 0);

export function relayDrainText(drain: RelayDrain): string {
  const lines = drain.passes.map(
    (p, i) =>
      `  pass ${i + 1}: ${p.published} published, ${p.failed} failed, ${p.setAside} set aside, ` +
      `${p.deferred} deferred, in ${p.seconds} s`,
  );
  return [
    `Relay drain: ${drain.committed} orders committed without a publish, ${publishedBy(drain.passes)} published ` +
      `by ${drain.passes.length} relay passes, ${drain.eventsPerSecond} events/s`,
    ...lines,
  ].join('\n');
}
