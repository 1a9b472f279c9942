import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, parseCli } from '../cli/args.js';
import { productionLikeConfig } from '../local/config.js';
import { MissingToolError } from '../local/emulators.js';
import { bundleServices } from '../local/service-command.js';
import { repoRoot, startLocalSystem } from '../local/system.js';
import { runCampaign } from './campaign.js';
import { reportText } from './report.js';

const usage = `usage: npm run chaos -- [--seed <n>] [--minutes <m>] [--rate <orders/s>] [--json <file>] [--port-base <n>]
  --seed       every random choice comes from it (default: a new one, printed first)
  --minutes    how long the load and its faults last (default 3)
  --rate       orders a second, on average (default 3)
  --json       also write every figure, and the client log, to this file
  --port-base  the campaign's own system on ports n+25 to n+525 (default 45000)`;

const { values } = parseCli(
  {
    options: {
      seed: { type: 'string' },
      minutes: { type: 'string', default: '3' },
      rate: { type: 'string', default: '3' },
      json: { type: 'string' },
      'port-base': { type: 'string', default: '45000' },
    },
  },
  usage,
);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const [minutes, rate, base] = [
  Number(values.minutes),
  Number(values.rate),
  Number(values['port-base']),
];
if (!Number.isSafeInteger(seed) || !(minutes > 0) || !(rate > 0) || !Number.isInteger(base))
  fail(usage, 2);
process.stdout.write(`seed ${seed}\n`);

const stateDir = join(repoRoot, '.local', 'chaos');
mkdirSync(stateDir, { recursive: true });
const logPath = join(stateDir, 'system.log');
const logFile = createWriteStream(logPath);
const progress = (line: string) =>
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

progress(`starting its own system on ports from ${base} (log: ${logPath})`);
bundleServices();
const system = await startLocalSystem({
  build: 'bundle',
  config: productionLikeConfig(base, { GOOGLE_CLOUD_PROJECT: 'demo-chaos', LOG_LEVEL: 'info' }),
  stateDir: join(repoRoot, '.local'),
  // A stopped process may still flush its last lines after the log has been closed.
  log: (source, line) => {
    if (!logFile.writableEnded) logFile.write(`[${source}] ${line}\n`);
  },
  traceFile: join(stateDir, 'traces.ndjson'),
  analyticsFile: join(stateDir, 'analytics.duckdb'),
}).catch((error: unknown) =>
  fail(error instanceof MissingToolError ? error.message : String(error)),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void system.stop().finally(() => process.exit(130));
  });
}
try {
  const report = await runCampaign(
    system,
    {
      seed,
      minutes,
      rate,
      recovery: { timeoutMs: Math.max(600_000, minutes * 60_000), stallMs: 180_000 },
    },
    progress,
  );
  process.stdout.write(reportText(report));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.violations ? 1 : 0;
} finally {
  await system.stop();
  logFile.end();
}
