import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@orderflow/topology';
import { localAudience, localWebhookMasterKey } from '../local/config.js';
import { devTokenAlgorithm } from '../local/dev-issuer.js';
import { repoRoot } from '../local/system.js';
import { median } from './statistics.js';

export const coldStartServices: readonly ServiceName[] = [
  'order',
  'notification',
  'seller',
  'segmentation',
];

/** How a service is started: its compiled modules as the image ran them until now, or its bundle. */
export type ColdStartBuild = 'dist' | 'bundle';

export interface ColdStartResult {
  service: ServiceName;
  build: ColdStartBuild;
  /** Milliseconds from spawn to the first `200` of `/healthz`, one per start. */
  startsMs: number[];
  medianMs: number;
}

/** Set without anything listening: `/healthz` must answer before any Google client connects. */
const offline = '127.0.0.1:9';

/**
 * The environment a service needs to start, as on Cloud Run: production settings, telemetry on
 * (its SDK is part of every start there), emulator hosts that nothing answers, since a start may
 * not wait for Firestore or Pub/Sub.
 */
function startEnv(service: ServiceName, port: number): NodeJS.ProcessEnv {
  const common = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: 'demo-cold-start',
    FIRESTORE_EMULATOR_HOST: offline,
    PUBSUB_EMULATOR_HOST: offline,
    PORT: String(port),
    LOG_LEVEL: 'warning',
    OTEL_SERVICE_NAME: service,
    TELEMETRY_OTLP_URL: `http://${offline}`,
  };
  const subscriber = { PUSH_AUTH: 'off', MAX_DELIVERY_ATTEMPTS: '5', DELIVERY_LEASE_MS: '30000' };
  const smtp = `smtp://${offline}`;
  const own: Record<ServiceName, Record<string, string>> = {
    order: {
      AUTH_ISSUER: 'http://127.0.0.1:9',
      AUTH_AUDIENCE: localAudience,
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      AUTH_ALGORITHMS: devTokenAlgorithm,
      RELAY_AUTH: 'off',
    },
    notification: { ...subscriber, SMTP_URL: smtp },
    seller: {
      ...subscriber,
      SMTP_URL: smtp,
      WEBHOOK_MASTER_KEY: localWebhookMasterKey,
      WEBHOOK_TARGETS: 'any',
      SWEEP_AUTH: 'off',
    },
    segmentation: { ...subscriber, RELAY_AUTH: 'off' },
  };
  return { ...common, ...own[service] };
}

/** The command the image runs (Dockerfile `CMD`), from the directory it runs in. */
export function startCommand(service: ServiceName, build: ColdStartBuild) {
  const cwd = join(repoRoot, 'services', service);
  const [preload, main] =
    build === 'dist'
      ? ['@orderflow/telemetry/register', 'dist/main.js']
      : ['./bundle/register.mjs', 'bundle/main.mjs'];
  const args = ['--import', preload, main];
  const missing = join(cwd, main);
  if (!existsSync(missing)) {
    throw new Error(
      `${missing} is missing: ${build === 'dist' ? 'npm run build' : 'npm run bundle'} first`,
    );
  }
  return { cwd, args };
}

/** One start: spawn, poll `/healthz` every few milliseconds, then stop the process. */
async function oneStart(service: ServiceName, build: ColdStartBuild, port: number) {
  const { cwd, args } = startCommand(service, build);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: startEnv(service, port),
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
    child.kill('SIGKILL');
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
      // One start first, unmeasured: the file system cache is warm for every measured one.
      await oneStart(service, build, port);
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
