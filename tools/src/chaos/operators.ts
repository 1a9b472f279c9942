import { topology } from '@orderflow/topology';
import type { LocalConfig } from '../local/config.js';
import { operatorCommand } from '../local/operator-command.js';

/** What one operator command did: `absent` when this checkout does not have it yet. */
export interface OperatorStep {
  command: string;
  outcome: 'done' | 'absent' | 'failed';
  /** Its last line of output, or its error. */
  said: string;
}

/**
 * The incident walk-through's commands (README, Operate): replay every subscriber's dead letters,
 * and put what the outbox set aside back in it. A command this checkout lacks answers with its
 * usage (exit 2): the step is recorded as absent, and the campaign goes on without it.
 */
const walkThrough: readonly (readonly [string, readonly string[]])[] = [
  ...topology.subscribers.map((s) => ['dlq', ['replay', '--subscriber', s.name, '--all']] as const),
  ['outbox', ['requeue', '--all']],
];

/** Runs the walk-through's commands one after the other, as one operator would. */
export async function actAsOperator(config: LocalConfig): Promise<OperatorStep[]> {
  const steps: OperatorStep[] = [];
  for (const [script, args] of walkThrough) {
    const { code, stdout, stderr } = await operatorCommand(config, script, args);
    const command = `npm run -s ${script} -- ${args.join(' ')}`;
    const absent = code === 2 && /usage/i.test(stderr);
    const said = (code === 0 ? stdout : stderr).trim().split('\n')[0] ?? '';
    steps.push({ command, outcome: code === 0 ? 'done' : absent ? 'absent' : 'failed', said });
  }
  return steps;
}
