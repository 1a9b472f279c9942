import type { Output } from '@pulumi/pulumi';
import { topology, type Topology } from '@orderflow/topology';
import { declare, type Declarations } from './mocks.js';
import { stackConfig } from './stack-config.js';

/** Resolves an output the way `pulumi stack output` would show it. */
export function valueOf<T>(output: Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function stackOutputs() {
  const stack = await import('../../infra/index.js');
  return {
    orderApiUrl: await valueOf(stack.orderApiUrl),
    imageRepository: await valueOf(stack.imageRepository),
    topics: await valueOf(stack.topics),
    subscriptions: await valueOf(stack.subscriptions),
  };
}

let program:
  Promise<{ declared: Declarations; result: Awaited<ReturnType<typeof stackOutputs>> }> | undefined;

/** The real program (infra/index.ts) with the example stack, run once for all the specs. */
export function runProgram() {
  const { config, secretKeys } = stackConfig();
  program ??= declare(config, secretKeys, stackOutputs);
  return program;
}

/** The program once more, with the example stack changed by `overrides`, or another topology. */
export async function runStack(
  overrides: Record<string, string> = {},
  shape: Topology = topology,
): Promise<Declarations> {
  const { config, secretKeys } = stackConfig(overrides);
  const { declared } = await declare(config, secretKeys, async () => {
    const [{ orderflow }, { loadSettings }] = await Promise.all([
      import('../../infra/orderflow.js'),
      import('../../infra/settings.js'),
    ]);
    orderflow(shape, loadSettings());
  });
  return declared;
}
