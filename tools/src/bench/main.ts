import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createPubSub, loadConfig } from '@orderflow/platform';
import { fail } from '../cli/args.js';
import { issuerUrl, localAudience, localConfig } from '../local/config.js';
import { loadOrCreateDevKey } from '../local/dev-issuer.js';
import { MissingToolError } from '../local/emulators.js';
import { repoRoot } from '../local/system.js';
import { latencyChart } from './chart.js';
import { coldStartText, measureColdStarts } from './cold-start.js';
import { measureRelayDrain } from './relay-drain.js';
import { saturationChart } from './saturation-chart.js';
import { Floor } from './floor.js';
import { machine, versions } from './machine.js';
import { parseBenchArgs, usage, type BenchOptions } from './options.js';
import { chartSubtitle, reportText, type BenchReport } from './report.js';
import { keyFigures, type RunResult, type TracingSide } from './results.js';
import type { BenchContext } from './context.js';
import { apiRun, floorRun, pairedRounds, warmUp } from './runs.js';
import { saturationRatio, saturationSearch, type SaturationOutcome } from './saturation.js';
import { tracingRounds, tracingSides } from './tracing.js';
import { hotProductSteps, hotRates } from './hot-product.js';
import { hotInstances, type HotCommits } from './workload.js';
import { healthySeller, type BenchSettings } from './settings.js';
import {
  benchLogPath,
  benchStateDir,
  runningSystem,
  startBenchSystem,
  type BenchTarget,
  type OrderInstance,
} from './target.js';
import { benchCatalog, benchCustomers } from './workload.js';

/** `npm run bench`: the order API under load, event-driven against request-response and the floor. */
const options = ((): BenchOptions => {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`, 2);
  }
})();
const progress = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

if (options.coldStart) {
  // No emulators: a start may not wait for Firestore or Pub/Sub, so none is needed to measure it.
  const starts = await measureColdStarts(options.builds, 10, options.portBase + 190, progress);
  process.stdout.write(coldStartText(starts));
  const json = {
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    machine: machine(),
    versions: versions(),
    ...starts,
  };
  if (options.json) write(options.json, `${JSON.stringify(json, null, 2)}\n`);
  process.exit(0);
}

const report = options.report
  ? (JSON.parse(readFileSync(options.report, 'utf8')) as BenchReport)
  : await measure(options.settings);
process.stdout.write(reportText(report));
const defaultChart =
  report.settings.mode === 'quick'
    ? join(benchStateDir, 'quick.svg')
    : join(repoRoot, 'docs/benchmarks.svg');
// The tracing and hot-product comparisons are one scenario each: their figures are the table and the key line.
if (
  (report.results.length && !report.keyFigures.tracingOverhead && !report.keyFigures.hotProduct) ||
  options.svg
) {
  write(options.svg ?? defaultChart, latencyChart(report.results, chartSubtitle(report)));
}
if (report.saturation) {
  const path =
    options.saturationSvg ??
    (report.settings.mode === 'quick'
      ? join(benchStateDir, 'saturation-quick.svg')
      : join(repoRoot, 'docs/saturation.svg'));
  write(path, await saturationChart(report.saturation, chartSubtitle(report)));
}
if (options.json) write(options.json, `${JSON.stringify(report, null, 2)}\n`);

async function measure(settings: BenchSettings): Promise<BenchReport> {
  const startedAt = new Date();
  const machineBefore = machine();
  const target = await startTarget(settings);
  const stop = once(async () => {
    await target.setSellers(healthySeller).catch(() => undefined);
    await target.stop();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void stop().finally(() => process.exit(130));
    });
  }
  const results: RunResult[] = [];
  const measured: Measured = {};
  try {
    await run(target, settings, results, measured);
  } finally {
    await stop();
  }
  // Shown in the settings' order, whatever order they ran in: the floor, then each architecture.
  const rank = (r: RunResult) =>
    r.architecture === 'floor' ? -1 : settings.architectures.indexOf(r.architecture);
  results.sort((a, b) => rank(a) - rank(b));
  const finishedAt = new Date();
  progress(`done in ${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s`);
  return {
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...machineBefore, loadAverageAfter: machine().loadAverage },
    versions: versions(),
    settings,
    keyFigures: { ...keyFigures(results), ...saturationFigures(measured.saturation) },
    results,
    ...measured,
  };
}

function saturationFigures(saturation: SaturationOutcome | undefined) {
  const ratio = saturation && saturationRatio(saturation);
  return ratio ? { saturationRatio: ratio } : {};
}

async function startTarget(settings: BenchSettings): Promise<BenchTarget> {
  const catalog = (sinkUrl: string) => benchCatalog(settings.products, sinkUrl);
  progress(
    `${settings.mode} run ${options.useRunning ? 'against the running system' : `(system log: ${benchLogPath})`}`,
  );
  return (
    options.useRunning
      ? runningSystem(loadConfig(localConfig), catalog)
      : startBenchSystem(catalog, options.portBase)
  ).catch((error: unknown) =>
    fail(error instanceof MissingToolError ? error.message : String(error)),
  );
}

/** What runs of their own measured, beside the scenarios' results. */
type Measured = Pick<BenchReport, 'saturation' | 'relayDrain'>;

/** `work` run the first time only; every call gets that run's promise. */
function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= work());
}

/**
 * The floor, the saturation search, then every architecture through every scenario; results land
 * in `results` (and `measured`) as they come.
 */
async function run(
  target: BenchTarget,
  settings: BenchSettings,
  results: RunResult[],
  measured: Measured,
) {
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  const issuer = { issuer: issuerUrl(target.config), audience: localAudience };
  const ctx: BenchContext = {
    target,
    settings,
    customers: await benchCustomers(settings.customers, key, issuer),
    progress,
  };
  await target.setSellers(healthySeller);
  if (options.tracing) {
    results.push(...(await compareTracing(ctx)));
    return;
  }
  if (options.hot) {
    results.push(...(await compareHotProduct(ctx)));
    return;
  }

  const floor = new Floor({
    db: target.db,
    pubsub: () => createPubSub(target.config),
    catalog: benchCatalog(settings.products, target.webhookSink),
    auth: { ...issuer, jwksUrl: `${issuer.issuer}/.well-known/jwks.json` },
    publishTimeoutMs: 1500,
  });
  try {
    if (options.relayDrain) {
      measured.relayDrain = await measureRelayDrain(
        ctx,
        floor,
        settings.mode === 'quick' ? 600 : 3000,
      );
      return;
    }
    if (options.saturation) {
      progress('floor warm-up, not reported:');
      await floorRun(ctx, floor, 'use-case', { load: settings.warmup });
      measured.saturation = await saturate(ctx, floor);
      return;
    }
    if (settings.floorSteps.length) {
      // The order service's relay would publish what the transaction-only steps leave unpublished.
      await target.architectures?.pause();
      progress('floor warm-up, not reported:');
      await floorRun(ctx, floor, 'use-case', { load: settings.warmup });
      for (const step of settings.floorSteps) results.push(await floorRun(ctx, floor, step));
      await floor.markAllPublished();
      // Against the floor just warmed up, before the scenarios leave the emulators busy.
      measured.saturation = await saturate(ctx, floor);
    }

    // Event-driven last, its rounds first: its failing-seller scenario leaves messages that the
    // Pub/Sub emulator keeps busy with, which slowed every later run on this machine by 30-60 %.
    const lastEventDriven = [...settings.architectures].sort(
      (a, b) => Number(a === 'event-driven') - Number(b === 'event-driven'),
    );
    for (const architecture of lastEventDriven) {
      if (!target.architectures && architecture !== 'event-driven') {
        progress(`${architecture}: skipped, the running system's order service is not ours`);
        continue;
      }
      await target.architectures?.use(architecture);
      await warmUp(ctx, architecture);
      // The rounds serve the two latency targets: not run for a subset without their scenarios.
      const latencyTargets = settings.scenarios.some((s) => s === 'healthy' || s === 'seller-slow');
      if (architecture === 'event-driven' && latencyTargets) {
        results.push(...(await pairedRounds(ctx, floor)));
      }
      for (const scenario of settings.scenarios) {
        results.push(await apiRun(ctx, architecture, scenario));
      }
    }
  } finally {
    await floor.close();
  }
}

/** The saturation search against the order service as built, warmed up; its relay idles. */
async function saturate(ctx: BenchContext, floor: Floor): Promise<SaturationOutcome> {
  await ctx.target.architectures?.use('event-driven');
  await warmUp(ctx, 'event-driven');
  return saturationSearch(ctx, floor);
}

/** The tracing comparison alone, with the system's own order service stopped meanwhile. */
async function compareTracing(ctx: BenchContext): Promise<RunResult[]> {
  const { target } = ctx;
  if (!target.orderInstance || !target.architectures) {
    return fail('--tracing needs the benchmark to start its own system');
  }
  await target.architectures.pause();
  const started: OrderInstance[] = [];
  const instances: Partial<Record<TracingSide, OrderInstance>> = {};
  try {
    for (const { side, portOffset, env } of tracingSides()) {
      const port = options.portBase + portOffset;
      const instance = await target.orderInstance(`order-tracing-${side}`, port, env);
      started.push(instance);
      instances[side] = instance;
    }
    return await tracingRounds(ctx, instances as Record<TracingSide, OrderInstance>);
  } finally {
    await Promise.all(started.map((i) => i.stop()));
  }
}

/**
 * The hot product alone (`--hot`), on two order services of the benchmark's own, so that their
 * orders contend across processes as across Cloud Run instances; the system's own is stopped.
 */
async function compareHotProduct(ctx: BenchContext): Promise<RunResult[]> {
  const { target, settings } = ctx;
  if (!target.orderInstance || !target.architectures) {
    return fail('--hot needs the benchmark to start its own system');
  }
  await target.architectures.pause();
  const started: OrderInstance[] = [];
  const instances: Record<HotCommits, OrderInstance[]> = { 'per-order': [], shared: [] };
  try {
    for (const [commits, { portOffsets, env }] of Object.entries(hotInstances)) {
      for (const [i, offset] of portOffsets.entries()) {
        const name = `order-hot-${commits}-${i + 1}`;
        const instance = await target.orderInstance(name, options.portBase + offset, env);
        started.push(instance);
        instances[commits as HotCommits].push(instance);
      }
    }
    return await hotProductSteps(
      ctx,
      instances,
      hotRates[settings.mode],
      settings.mode === 'quick' ? 3 : 10,
    );
  } finally {
    await Promise.all(started.map((i) => i.stop()));
  }
}

function write(path: string, content: string) {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  progress(`wrote ${absolute}`);
}
