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
    orderApiAddress: stack.orderApiAddress && (await valueOf(stack.orderApiAddress)),
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
  return (await runStackWithOutputs(overrides, shape)).declared;
}

/** As `runStack`, with the outputs a web client needs. */
export async function runStackWithOutputs(
  overrides: Record<string, string> = {},
  shape: Topology = topology,
) {
  const { config, secretKeys } = stackConfig(overrides);
  return declare(config, secretKeys, async () => {
    const [{ orderflow }, { loadSettings }] = await Promise.all([
      import('../../infra/orderflow.js'),
      import('../../infra/settings.js'),
    ]);
    const system = orderflow(shape, loadSettings());
    return {
      orderApiUrl: await valueOf(system.orderApiUrl),
      orderApiAddress: system.orderApiAddress && (await valueOf(system.orderApiAddress)),
    };
  });
}
