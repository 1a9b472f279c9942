import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../local/system.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  /** The 1, 5 and 15 minute load averages: other work on the machine shows here. */
  loadAverage: number[];
}

export const machine = (): Machine => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  platform: `${platform()} ${release()}`,
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
});

export interface Versions {
  node: string;
  commit: string;
  packages: Record<string, string>;
  emulators: Record<string, string>;
}

const packages = [
  'autocannon',
  '@google-cloud/firestore',
  '@google-cloud/pubsub',
  'express',
  'jose',
];

export function versions(): Versions {
  return {
    node: process.version,
    commit: run('git', ['describe', '--always', '--dirty']),
    packages: Object.fromEntries(
      packages.map((name) => {
        const manifest = join(repoRoot, 'node_modules', name, 'package.json');
        return [name, (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version];
      }),
    ),
    emulators: emulatorVersions(),
  };
}

function emulatorVersions(): Record<string, string> {
  try {
    const all = JSON.parse(run('gcloud', ['version', '--format=json'])) as Record<string, string>;
    return {
      'Google Cloud SDK': all['Google Cloud SDK'] ?? 'unknown',
      'pubsub-emulator': all['pubsub-emulator'] ?? 'unknown',
      'cloud-firestore-emulator': all['cloud-firestore-emulator'] ?? 'unknown',
    };
  } catch {
    return {};
  }
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}
