import { join } from 'node:path';
import { loadConfig } from '@orderflow/platform';
import { localConfig } from './config.js';
import { MissingToolError } from './emulators.js';
import { humanLine } from './log-format.js';
import { repoRoot, startLocalSystem } from './system.js';

/** `npm start`: the whole system on this machine, until Ctrl-C. */
const config = loadConfig(localConfig);
const log = (source: string, line: string) => {
  process.stdout.write(`${humanLine(source, line)}\n`);
};

try {
  const system = await startLocalSystem({ config, stateDir: join(repoRoot, '.local'), log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('local', `${signal}: stopping everything`);
    void system.stop().then(() => {
      log('local', 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  log('local', `order API     ${system.urls.orderApi}`);
  log('local', `mail          ${system.urls.mail}/messages`);
  log('local', `seller hooks  ${system.urls.webhooks}/webhooks`);
  log('local', `console       ${system.urls.console}`);
  log('local', 'local system ready');
} catch (error) {
  log('local', error instanceof MissingToolError ? error.message : String(error));
  process.exit(1);
}
