import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { parseConfig } from '@orderflow/platform';
import { productionLikeConfig, type LocalConfig } from '@orderflow/tools/local/config';
import type { ProductionAuth } from '@orderflow/tools/local/production-auth';
import { bundleServices } from '@orderflow/tools/local/service-command';
import { repoRoot, startLocalSystem, type LocalSystem } from '@orderflow/tools/local/system';

/**
 * Root hooks of the system test run: the whole local system, on ports of its own so that
 * a developer's `npm start` can keep running, started once and stopped at the end.
 */
export const testStateDir = join(repoRoot, '.local', 'test');
export const testLogPath = join(testStateDir, 'system.log');
export const testTraceFile = join(testStateDir, 'traces.ndjson');

/** `TEST_PORT_BASE` (18000) moves every port, so two checkouts can run their system tests at once. */
const base = parseConfig(
  z.object({ TEST_PORT_BASE: z.coerce.number().int().min(1024).max(60000).default(18000) }),
  process.env,
).TEST_PORT_BASE;

/** Where the browser test serves its shop page: one origin the order API allows, one it does not. */
export const testShopPorts = { allowed: base + 30, refused: base + 31 };

export const testConfig: LocalConfig = productionLikeConfig(base, {
  GOOGLE_CLOUD_PROJECT: 'demo-test',
  CORS_ORIGINS: `http://localhost:${testShopPorts.allowed}`,
  LOG_LEVEL: 'info',
});

let running: LocalSystem | undefined;

export function localSystem(): LocalSystem {
  if (!running) throw new Error('the local system is not running');
  return running;
}

/** Google's side of the local system: the system tests always run with it. */
export function productionAuth(): ProductionAuth {
  const auth = localSystem().productionAuth;
  if (!auth) throw new Error('the local system runs without the Google front-end stand-in');
  return auth;
}

const beforeStop: (() => Promise<void>)[] = [];

/** Work to do before the system stops, such as closing the test's own clients of it. */
export function onSystemStop(close: () => Promise<void>): void {
  beforeStop.push(close);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    mkdirSync(testStateDir, { recursive: true });
    const logFile = createWriteStream(testLogPath);
    // The services run as their images run them: the bundles, built now from the sources.
    bundleServices();
    running = await startLocalSystem({
      build: 'bundle',
      config: testConfig,
      stateDir: join(repoRoot, '.local'),
      log: (source, line) => logFile.write(`[${source}] ${line}\n`),
      pubsubFaultProxyPort: base + 87,
      traceFile: testTraceFile,
      analyticsFile: join(testStateDir, 'analytics.duckdb'),
      // Lets a seller endpoint be slower than the ack deadline without the call timing out.
      serviceEnv: { seller: { WEBHOOK_TIMEOUT_MS: '20000' } },
    });
    process.stdout.write(`  local system up; its logs: ${testLogPath}\n`);
    // Interrupted, mocha skips the root hooks: stop the emulators all the same.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
      });
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await Promise.all(beforeStop.splice(0).map((close) => close()));
    await running?.stop();
    running = undefined;
  },
};
