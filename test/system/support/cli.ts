import { expect } from 'chai';
import { operatorCommand, type CliResult } from '@orderflow/tools/local/operator-command';
import type { DeadLetter } from '@orderflow/tools/shared/dead-letters';
import { testConfig } from '../fixture.js';

export type { CliResult };

/** Runs `npm run -s <script> -- args` against the test system, as an operator would. */
export const npmRun = (script: string, args: string[]): Promise<CliResult> =>
  operatorCommand(testConfig, script, args);

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
