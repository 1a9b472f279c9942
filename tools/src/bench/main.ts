import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '@orderflow/platform';
import { fail } from '../cli/args.js';
import { issuerUrl, localAudience, localConfig } from '../local/config.js';
import { loadOrCreateDevKey } from '../local/dev-issuer.js';
import { MissingToolError } from '../local/emulators.js';
import { repoRoot } from '../local/system.js';
import { latencyChart } from './chart.js';
import { Floor } from './floor.js';
import { machine, versions } from './machine.js';
import { parseBenchArgs, usage, type BenchOptions } from './options.js';
import { keyFigures, type RunResult } from './results.js';
import { apiRun, floorRun, warmUp, type BenchContext } from './runs.js';
import { healthySeller, offeredRate } from './settings.js';
import { backlogTable, keyFigureLines, resultsTable } from './table.js';
import {
  benchLogPath,
  benchStateDir,
  runningSystem,
  startBenchSystem,
  type BenchTarget,
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
const { settings } = options;
const progress = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const startedAt = new Date();
const machineBefore = machine();
const catalog = (sinkUrl: string) => benchCatalog(settings.products, sinkUrl);

progress(
  `${settings.mode} run ${options.useRunning ? 'against the running system' : `(system log: ${benchLogPath})`}`,
);
const target: BenchTarget = await (
  options.useRunning ? runningSystem(loadConfig(localConfig), catalog) : startBenchSystem(catalog)
).catch((error: unknown) =>
  fail(error instanceof MissingToolError ? error.message : String(error)),
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await target.setSellers(healthySeller).catch(() => undefined);
  await target.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void stop().finally(() => process.exit(130));
  });
}

const results: RunResult[] = [];
try {
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  const issuer = { issuer: issuerUrl(target.config), audience: localAudience };
  const ctx: BenchContext = {
    target,
    settings,
    customers: await benchCustomers(settings.customers, key, issuer),
    progress,
  };
  await target.setSellers(healthySeller);

  if (settings.floorSteps.length) {
    await target.architectures?.pause();
    const floor = new Floor({
      db: target.db,
      pubsub: target.pubsub,
      catalog: catalog(target.webhookSink),
      auth: { ...issuer, jwksUrl: `${issuer.issuer}/.well-known/jwks.json` },
      publishTimeoutMs: 1500,
    });
    progress('floor warm-up, not reported:');
    await floorRun(ctx, floor, 'use-case', settings.warmup);
    for (const step of settings.floorSteps) results.push(await floorRun(ctx, floor, step));
    await floor.markAllPublished();
  }

  for (const architecture of settings.architectures) {
    if (!target.architectures && architecture !== 'event-driven') {
      progress(`${architecture}: skipped, the running system's order service is not ours`);
      continue;
    }
    await target.architectures?.use(architecture);
    await warmUp(ctx, architecture);
    for (const scenario of settings.scenarios) {
      results.push(await apiRun(ctx, architecture, scenario));
    }
  }
} finally {
  await stop();
}

const figures = keyFigures(results);
process.stdout.write(
  [
    resultsTable(results),
    ...(results.some((r) => r.backlog) ? ['', backlogTable(results)] : []),
    '',
    ...keyFigureLines(figures),
    '',
  ].join('\n'),
);

const finishedAt = new Date();
const subtitle = `${settings.mode} run ${finishedAt.toISOString().slice(0, 10)} · ${machineBefore.cpus} × ${machineBefore.cpuModel} · ${offeredRate(settings.steady)} orders/s steady, ${offeredRate(settings.burst)}/s burst · Node ${process.version}`;
const svgPath =
  options.svg ??
  (settings.mode === 'quick'
    ? join(benchStateDir, 'quick.svg')
    : join(repoRoot, 'docs/benchmarks.svg'));
write(resolve(svgPath), latencyChart(results, subtitle));
if (options.json) {
  const report = {
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...machineBefore, loadAverageAfter: machine().loadAverage },
    versions: versions(),
    settings,
    keyFigures: figures,
    results,
  };
  write(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
}
progress(`done in ${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s`);

function write(path: string, content: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  progress(`wrote ${path}`);
}
