import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@orderflow/topology';
import { repoRoot } from './paths.js';

/**
 * How a service runs: its TypeScript sources through tsx (`npm start`, the tests), its tsc output
 * (`npm run build`), or its esbuild bundle (`npm run bundle`), which is what the image runs.
 */
export type ServiceBuild = 'source' | 'dist' | 'bundle';

/**
 * V8's flags for every service, as the image's `CMD` gives them. The young generation starts at
 * its full 16 MiB instead of growing from 1 MiB: a start then collects no garbage before it
 * answers (six scavenges otherwise, about 20 ms of a cold start's 300).
 */
export const nodeFlags = ['--min-semi-space-size=16'];

/**
 * The node arguments that start `service` from `build`, and the directory they run in; unless
 * told otherwise, it fails when the build is missing.
 */
export function serviceCommand(
  service: ServiceName,
  build: ServiceBuild,
  { mustExist = true }: { mustExist?: boolean } = {},
): { cwd: string; args: string[] } {
  if (build === 'source') {
    return {
      cwd: repoRoot,
      args: [
        ...nodeFlags,
        '--import',
        'tsx',
        '--conditions=source',
        '--import',
        '@orderflow/telemetry/register',
        `services/${service}/src/main.ts`,
      ],
    };
  }
  const cwd = join(repoRoot, 'services', service);
  const [preload, main] =
    build === 'dist'
      ? ['@orderflow/telemetry/register', 'dist/main.js']
      : ['./bundle/register.mjs', 'bundle/main.mjs'];
  if (mustExist && !existsSync(join(cwd, main))) {
    throw new Error(
      `${join(cwd, main)} is missing: ${build === 'dist' ? 'npm run build' : 'npm run bundle'} first`,
    );
  }
  return { cwd, args: [...nodeFlags, '--import', preload, main] };
}

/** `npm run bundle`: every service as the image runs it, built from the sources as they are now. */
export function bundleServices(): void {
  const bundler = spawnSync(process.execPath, [join(repoRoot, 'tools', 'bundle.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (bundler.status !== 0) throw new Error(`npm run bundle failed (${bundler.status})`);
}
