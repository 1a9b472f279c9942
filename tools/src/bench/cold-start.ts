import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@orderflow/topology';
import { localConfig, type LocalConfig } from '../local/config.js';
import { localServiceEnv } from '../local/service-env.js';
import { serviceCommand } from '../local/service-command.js';
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

/**
 * One start: spawn, poll `/healthz` every few milliseconds, then stop the process: killed, or
 * with SIGTERM to let it exit as it would, writing its compile cache.
 */
async function oneStart(
  service: ServiceName,
  build: ColdStartBuild,
  port: number,
  stop: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
) {
  const { cwd, args, env } = startCommand(service, build);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...coldStartEnv(service, port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`${service} exited with ${child.exitCode} before answering: ${stderr}`);
      }
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${service}: no /healthz in 60 s`);
      await sleep(2);
    }
  } finally {
    child.kill(stop);
    await exited;
  }
}

/** The median of `starts` starts of each service, one after another so that none competes. */
export async function measureColdStarts(
  builds: readonly ColdStartBuild[],
  starts: number,
  port: number,
  progress: (line: string) => void,
): Promise<ColdStartResult[]> {
  const results: ColdStartResult[] = [];
  for (const service of coldStartServices) {
    for (const build of builds) {
      // One start first, unmeasured: the file system cache is warm and node's compile cache
      // filled for every measured one.
      await oneStart(service, build, port, 'SIGTERM');
      const startsMs: number[] = [];
      for (let i = 0; i < starts; i += 1) startsMs.push(await oneStart(service, build, port));
      const result = { service, build, startsMs, medianMs: median(startsMs) };
      progress(`cold start ${service} (${build}): median ${Math.round(result.medianMs)} ms`);
      results.push(result);
    }
  }
  return results;
}

export function coldStartText(results: readonly ColdStartResult[]): string {
  const rows = results.map(
    (r) =>
      `${r.service.padEnd(14)}${r.build.padEnd(8)}${String(Math.round(r.medianMs)).padStart(7)} ms` +
      `   (min ${Math.round(Math.min(...r.startsMs))}, max ${Math.round(Math.max(...r.startsMs))})`,
  );
  return [
    `Cold start: process start to first 200 of /healthz, median of ${results[0]?.startsMs.length ?? 0} starts`,
    `${'service'.padEnd(14)}${'build'.padEnd(8)}${'median'.padStart(10)}`,
    ...rows,
    '',
  ].join('\n');
}
