import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createFirestore } from '@orderflow/platform';
import { subscribersOf, topology } from '@orderflow/topology';
import { issuerUrl, localAudience } from '../local/config.js';
import { loadOrCreateDevKey } from '../local/dev-issuer.js';
import { repoRoot, type LocalSystem } from '../local/system.js';
import { upsertCatalog } from '../shared/catalog.js';
import { audit, type AuditLine } from './audit.js';
import type { ClientOutcome, ClientRecord } from './client.js';
import { FaultInjector, type TimelineEntry } from './faults.js';
import { runLoad } from './load.js';
import { analyticsRowsOf, observe } from './observe.js';
import { actAsOperator, type OperatorStep } from './operators.js';
import { Random } from './random.js';
import { deliveries, restartStopped, untilSettled, type SettleOptions } from './recovery.js';
import { drawSchedule } from './schedule.js';
import { watchStock } from './stock.js';
import { drawWorkload } from './workload.js';

/** Everyone who reacts to `order.placed`: each committed order must reach each of them. */
const subscribers = subscribersOf(
  topology,
  topology.topics.find((t) => t.publisher === 'order')?.name ?? 'the order topic',
);

export interface CampaignOptions {
  seed: number;
  /** How long the load and its faults last. */
  minutes: number;
  /** Orders a second, on average. */
  rate: number;
  /** Each wait of the recovery: for the system to settle, then for the operator's replays. */
  recovery: SettleOptions;
}

export interface CampaignReport {
  seed: number;
  options: CampaignOptions;
  run: string;
  startedAt: string;
  finishedAt: string;
  downSeller: string;
  timeline: TimelineEntry[];
  load: LoadFigures;
  recovery: { restarted: string[]; settledMs: number; steps: OperatorStep[]; drainedMs: number };
  audit: AuditLine[];
  violations: number;
  /** Every request and answer, as the clients logged them. */
  clientLog: ClientRecord[];
}

export interface LoadFigures {
  planned: number;
  customers: number;
  products: number;
  sellers: number;
  requests: number;
  durationMs: number;
  outcomes: Record<ClientOutcome['kind'], number>;
  /** Answers by status, `timeout` and `connection` for none. */
  answers: Record<string, number>;
  stockReads: number;
}

/**
 * One campaign on a running system: the load and the faults from the seed, at once; then the
 * recovery (heal, wait, the operator's walk-through, wait) and the audit of every order.
 */
export async function runCampaign(
  system: LocalSystem,
  options: CampaignOptions,
  progress: (line: string) => void,
): Promise<CampaignReport> {
  const started = new Date();
  const run = randomUUID().slice(0, 8);
  const random = Random.of(options.seed);
  const loadMs = options.minutes * 60_000;
  const sinkUrl = system.urls.webhooks;
  const workload = drawWorkload(random.stream(1), { run, rate: options.rate, loadMs, sinkUrl });
  const others = workload.catalog.sellers
    .map((s) => s.id)
    .filter((id) => id !== workload.downSeller);
  const schedule = drawSchedule(random.stream(2), loadMs, others);
  const db = createFirestore(system.config);
  const injector = new FaultInjector(system, system.urls.mail);
  try {
    await upsertCatalog(db, workload.catalog);
    await injector.breakSeller(workload.downSeller);
    const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
    const issuer = { key, issuer: issuerUrl(system.config), audience: localAudience };
    const products = workload.catalog.products.map((p) => p.id);
    const watcher = watchStock(db, products);
    progress(
      `load: ${workload.orders.length} orders over ${options.minutes} min, ${schedule.length} faults`,
    );
    const startedAt = Date.now();
    const [load, timeline] = await Promise.all([
      runLoad(system.urls.orderApi, workload, issuer, startedAt),
      injector.run(schedule, startedAt),
    ]);
    const stock = watcher.stop();

    progress('recovery: heal everything, wait until nothing moves');
    await injector.healSeller(workload.downSeller);
    const restarted = await restartStopped(system);
    const customerPrefix = `chaos-${run}-customer-`;
    const rows = async () => (await analyticsRowsOf(system.analyticsUrl, customerPrefix)).size;
    const settledMs = await untilSettled(
      deliveries(db, rows, customerPrefix, subscribers, false),
      options.recovery,
    );
    progress('recovery: the operator follows the walk-through');
    const steps = await actAsOperator(system.config);
    const drainedMs = await untilSettled(
      deliveries(db, rows, customerPrefix, subscribers, true),
      options.recovery,
    );

    progress('audit');
    const observed = await observe(
      { db, mailUrl: system.urls.mail, webhooksUrl: sinkUrl, analyticsUrl: system.analyticsUrl },
      {
        customerPrefix,
        customers: workload.customers.map((c) => c.id),
        keys: workload.orders.map((o) => ({
          customerId: o.customer.id,
          key: o.key,
        })),
        products,
        sellers: workload.catalog.sellers.map((s) => s.id),
        subscribers,
      },
    );
    const lines = audit({
      workload,
      log: load.log,
      outcomes: load.outcomes,
      observed,
      timeline,
      lowestStock: stock.lowest,
    });
    return {
      seed: options.seed,
      options,
      run,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      downSeller: workload.downSeller,
      timeline,
      load: {
        planned: workload.orders.length,
        customers: workload.customers.length,
        products: products.length,
        sellers: workload.catalog.sellers.length,
        requests: load.log.length,
        durationMs: load.endedAt - load.startedAt,
        outcomes: tally(
          [...load.outcomes.values()].map((o) => o.kind),
          ['placed', 'refused', 'unknown'],
        ),
        answers: tally(load.log.map(answerOf), []),
        stockReads: stock.reads,
      },
      recovery: { restarted, settledMs, steps, drainedMs },
      audit: lines,
      violations: lines.filter((l) => l.violation).reduce((n, l) => n + l.count, 0),
      clientLog: load.log,
    };
  } finally {
    await db.terminate();
  }
}

const answerOf = (r: ClientRecord) =>
  r.status !== undefined ? String(r.status) : (r.error ?? '').replace(/:.*/, '');

/** How many of each value; `keys` are listed even when none was seen. */
function tally<K extends string>(values: readonly K[], keys: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Partial<Record<K, number>>;
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts as Record<K, number>;
}
