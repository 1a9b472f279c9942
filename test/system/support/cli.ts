import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { promisify } from 'node:util';
import { repoRoot } from '@orderflow/tools/local/system';
import type { DeadLetter } from '@orderflow/tools/shared/dead-letters';
import { testConfig } from '../fixture.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run -s <script> -- args` against the test system, as an operator would: in the
 * operator's environment, not the test run's (METADATA_SERVER_DETECTION is the system's own).
 */
export async function npmRun(script: string, args: string[]): Promise<CliResult> {
  const { METADATA_SERVER_DETECTION: _services, ...operator } = process.env;
  const env = {
    ...operator,
    GOOGLE_CLOUD_PROJECT: testConfig.GOOGLE_CLOUD_PROJECT,
    FIRESTORE_EMULATOR_HOST: testConfig.FIRESTORE_EMULATOR_HOST,
    PUBSUB_EMULATOR_HOST: testConfig.PUBSUB_EMULATOR_HOST,
    DEV_ISSUER_PORT: String(testConfig.DEV_ISSUER_PORT),
    ANALYTICS_PORT: String(testConfig.ANALYTICS_PORT),
  };
  return run('npm', ['run', '-s', script, '--', ...args], { cwd: repoRoot, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => error as CliResult,
  );
}

/** A subscriber's dead letters, as `npm run -s dlq -- list --subscriber <name> --json` prints them. */
export async function dlqList(subscriber: string): Promise<DeadLetter[]> {
  const { code, stdout, stderr } = await npmRun('dlq', [
    'list',
    '--subscriber',
    subscriber,
    '--json',
  ]);
  expect(code, stderr).to.equal(0);
  return JSON.parse(stdout) as DeadLetter[];
}
