import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalConfig } from './config.js';
import { repoRoot } from './paths.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run -s <script> -- args` against a local system, as an operator would: in the
 * operator's environment, not the caller's (METADATA_SERVER_DETECTION is the services' own).
 */
export async function operatorCommand(
  config: LocalConfig,
  script: string,
  args: readonly string[],
): Promise<CliResult> {
  const { METADATA_SERVER_DETECTION: _services, ...operator } = process.env;
  const env = {
    ...operator,
    GOOGLE_CLOUD_PROJECT: config.GOOGLE_CLOUD_PROJECT,
    FIRESTORE_EMULATOR_HOST: config.FIRESTORE_EMULATOR_HOST,
    PUBSUB_EMULATOR_HOST: config.PUBSUB_EMULATOR_HOST,
    DEV_ISSUER_PORT: String(config.DEV_ISSUER_PORT),
    ANALYTICS_PORT: String(config.ANALYTICS_PORT),
  };
  return run('npm', ['run', '-s', script, '--', ...args], { cwd: repoRoot, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => error as CliResult,
  );
}
