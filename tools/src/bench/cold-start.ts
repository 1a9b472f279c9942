import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import type { ServiceName } from '@orderflow/topology';
import { bundleOptions } from '../../bundle-plugins.mjs';
import { localConfig, type LocalConfig } from '../local/config.js';
import { repoRoot } from '../local/paths.js';
import { localServiceEnv } from '../local/service-env.js';
import { nodeFlags, serviceCommand } from '../local/service-command.js';
import { median } from './statistics.js';

export const coldStartServices: readonly ServiceName[] = [
  'order',
  'notification',
  'seller',
  'segmentation',
];

/** Where the image keeps node's compile cache, beside its modules (Dockerfile). */
const compileCache = '.compile-cache';

/** How a service is started: its compiled modules as the image ran them until now, or its bundle. */
export type ColdStartBuild = 'dist' | 'bundle';

export interface ColdStartResult {
  service: ServiceName;
  build: ColdStartBuild;
  /** Milliseconds from spawn to the first `200` of `/healthz`, one per start. */
  startsMs: number[];
  medianMs: number;
}

/** Where nothing listens: `/healthz` must answer before any Google client, mail or trace export connects. */
const offline = { host: '127.0.0.1', port: 9 };

/** The local system's settings, every address pointing at `offline`. */
const offlineConfig: LocalConfig = localConfig.parse({
  GOOGLE_CLOUD_PROJECT: 'demo-cold-start',
  FIRESTORE_EMULATOR_HOST: `${offline.host}:${offline.port}`,
  PUBSUB_EMULATOR_HOST: `${offline.host}:${offline.port}`,
  DEV_ISSUER_PORT: offline.port,
  MAIL_SMTP_PORT: offline.port,
  TRACE_COLLECTOR_PORT: offline.port,
  LOG_LEVEL: 'warning',
});

/** Settings the local system changes for itself; without them each service takes its production default. */
const localOnly = [
  'TRACE_EXPORT_DELAY_MS',
  'RELAY_INTERVAL_MS',
  'RELAY_GRACE_MS',
  'HSTS',
  'CORS_ORIGINS',
  'SELLER_ATTEMPTS',
  'SELLER_MIN_BACKOFF_MS',
  'SELLER_MAX_BACKOFF_MS',
];

/**
 * A service's environment as in the local system (`localServiceEnv`), with production's
 * differences: `NODE_ENV`, telemetry exported with Google credentials, and no local-only
 * settings. The emulator hosts stay, pointing nowhere: a start may not wait for Firestore or
 * Pub/Sub, and with them the callers' authentication may stay `off`.
 */
export function coldStartEnv(service: ServiceName, port: number): NodeJS.ProcessEnv {
  const local = localServiceEnv(offlineConfig, service, { port });
  const production = Object.fromEntries(
    Object.entries(local).filter(([name]) => !localOnly.includes(name)),
  );
  return { ...production, NODE_ENV: 'production', TELEMETRY_AUTH: 'google' };
}

/**
 * The command the image runs (Dockerfile `CMD`), from the directory it runs in. The bundle runs
 * with node's compile cache, as the image does; the unmeasured first start fills it, as the
 * image's build does.
 */
export function startCommand(service: ServiceName, build: ColdStartBuild) {
  const { cwd, args } = serviceCommand(service, build);
  const env = build === 'bundle' ? { NODE_COMPILE_CACHE: join(cwd, 'bundle', compileCache) } : {};
  return { cwd, args, env };
}

/** How a start is spawned: node's arguments, where, and with what environment. */
interface StartSpec {
  name: string;
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The reference for the services' starts, spawned and polled the same way: node itself with an
 * HTTP server of one line of CommonJS that answers every request 200. What a service takes
 * beyond it is its own; what both take moves with the machine (node alone took 55-90 ms to run
 * `-e 0` here on one morning).
 */
export function nodeAloneSpec(port: number): StartSpec {
  return {
    name: 'node alone',
    cwd: process.cwd(),
    args: [
      '-e',
      "require('node:http').createServer((q, r) => r.end('ok')).listen(process.env.PORT)",
    ],
    env: { PORT: String(port) },
  };
}

/**
 * The second reference: an express app of one route with `express.json()`, bundled as the
 * services are (`bundleOptions`) and started as they are (`nodeFlags`, node's compile cache).
 * What it takes beyond node alone, every express service takes; what a service takes beyond it is
 * the service's own (its configuration, schemas, telemetry, routes and middleware).
 */
export async function expressAloneSpec(port: number): Promise<StartSpec> {
  const cwd = join(repoRoot, '.local', 'bench', 'express-alone');
  mkdirSync(cwd, { recursive: true });
  await build({
    ...bundleOptions,
    absWorkingDir: repoRoot,
    stdin: { contents: expressAloneSource, resolveDir: join(repoRoot, 'services', 'order') },
    outfile: join(cwd, 'main.mjs'),
  });
  writeFileSync(join(cwd, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  return {
    name: 'express alone',
    cwd,
    args: [...nodeFlags, 'main.mjs'],
    env: { PORT: String(port), NODE_COMPILE_CACHE: join(cwd, compileCache) },
  };
}

const expressAloneSource = `
import express from 'express';
const app = express();
app.use(express.json());
app.get('/healthz', (req, res) => { res.json({ status: 'ok' }); });
app.listen(process.env.PORT);
`;

function serviceSpec(service: ServiceName, build: ColdStartBuild, port: number): StartSpec {
  const { cwd, args, env } = startCommand(service, build);
  return { name: service, cwd, args, env: { ...coldStartEnv(service, port), ...env } };
}

/**
 * One start: spawn, poll `/healthz` every few milliseconds, then stop the process: killed, or
 * with SIGTERM to let it exit as it would, writing its compile cache.
 */
async function oneStart(spec: StartSpec, port: number, stop: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') {
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`${spec.name} exited with ${child.exitCode} before answering: ${stderr}`);
      }
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000)
        throw new Error(`${spec.name}: no /healthz in 60 s`);
      await sleep(2);
    }
  } finally {
    child.kill(stop);
    await exited;
  }
}

/** One unmeasured start, then the median of `starts` measured ones. */
async function startsOf(spec: StartSpec, starts: number, port: number) {
  // The unmeasured start warms the file system cache and, stopped with SIGTERM, fills node's
  // compile cache for every measured one.
  await oneStart(spec, port, 'SIGTERM');
  const startsMs: number[] = [];
  for (let i = 0; i < starts; i += 1) startsMs.push(await oneStart(spec, port));
  return { startsMs, medianMs: median(startsMs) };
}

export interface ColdStarts {
  /** Node itself, started and polled the same way (`nodeAloneSpec`). */
  nodeAlone: { startsMs: number[]; medianMs: number };
  /** An express app of one route, bundled and started as the services are (`expressAloneSpec`). */
  expressAlone: { startsMs: number[]; medianMs: number };
  results: ColdStartResult[];
}

/**
 * The median of `starts` starts of node alone, then of each service, one after another so that
 * none competes.
 */
export async function measureColdStarts(
  builds: readonly ColdStartBuild[],
  starts: number,
  port: number,
  progress: (line: string) => void,
): Promise<ColdStarts> {
  const nodeAlone = await startsOf(nodeAloneSpec(port), starts, port);
  progress(`cold start of node alone: median ${Math.round(nodeAlone.medianMs)} ms`);
  const expressAlone = await startsOf(await expressAloneSpec(port), starts, port);
  progress(`cold start of express alone: median ${Math.round(expressAlone.medianMs)} ms`);
  const results: ColdStartResult[] = [];
  for (const service of coldStartServices) {
    for (const build of builds) {
      const result = {
        service,
        build,
        ...(await startsOf(serviceSpec(service, build, port), starts, port)),
      };
      progress(`cold start ${service} (${build}): median ${Math.round(result.medianMs)} ms`);
      results.push(result);
    }
  }
  return { nodeAlone, expressAlone, results };
}

export function coldStartText({ nodeAlone, expressAlone, results }: ColdStarts): string {
  const row = (name: string, build: string, startsMs: readonly number[], medianMs: number) =>
    `${name.padEnd(16)}${build.padEnd(8)}${String(Math.round(medianMs)).padStart(7)} ms` +
    `${String(Math.round(medianMs - nodeAlone.medianMs)).padStart(11)} ms` +
    `   (min ${Math.round(Math.min(...startsMs))}, max ${Math.round(Math.max(...startsMs))})`;
  return [
    `Cold start: process start to first 200 of /healthz, median of ${nodeAlone.startsMs.length} starts`,
    `${'service'.padEnd(16)}${'build'.padEnd(8)}${'median'.padStart(10)}${'beyond node'.padStart(14)}`,
    row('node alone', '-', nodeAlone.startsMs, nodeAlone.medianMs),
    row('express alone', 'bundle', expressAlone.startsMs, expressAlone.medianMs),
    ...results.map((r) => row(r.service, r.build, r.startsMs, r.medianMs)),
    '',
  ].join('\n');
}
