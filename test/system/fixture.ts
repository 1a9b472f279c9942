import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@orderflow/platform';
import { localConfig, type LocalConfig } from '@orderflow/tools/local/config';
import { repoRoot, startLocalSystem, type LocalSystem } from '@orderflow/tools/local/system';

/**
 * Root hooks of the system test run: the whole local system, on ports of its own so that
 * a developer's `npm start` can keep running, started once and stopped at the end.
 */
export const testStateDir = join(repoRoot, '.local', 'test');
export const testLogPath = join(testStateDir, 'system.log');

export const testConfig: LocalConfig = parseConfig(localConfig, {
  GOOGLE_CLOUD_PROJECT: 'demo-test',
  ORDER_API_PORT: '18080',
  NOTIFICATION_PORT: '18081',
  SELLER_PORT: '18082',
  SEGMENTATION_PORT: '18083',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:18085',
  FIRESTORE_EMULATOR_HOST: '127.0.0.1:18086',
  DEV_ISSUER_PORT: '18090',
  MAIL_SMTP_PORT: '12525',
  MAIL_HTTP_PORT: '18025',
  WEBHOOK_SINK_PORT: '18026',
  LOG_LEVEL: 'info',
});

let running: LocalSystem | undefined;

export function localSystem(): LocalSystem {
  if (!running) throw new Error('the local system is not running');
  return running;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    mkdirSync(testStateDir, { recursive: true });
    const logFile = createWriteStream(testLogPath);
    running = await startLocalSystem({
      config: testConfig,
      stateDir: join(repoRoot, '.local'),
      log: (source, line) => logFile.write(`[${source}] ${line}\n`),
      pubsubFaultProxyPort: 18087,
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
    const { closeClients } = await import('./support/clients.js');
    await closeClients();
    await running?.stop();
    running = undefined;
  },
};
