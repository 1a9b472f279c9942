import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged, waitUntilReady, type LogSink, type ManagedProcess } from './processes.js';

const components = {
  pubsub: {
    component: 'pubsub-emulator',
    launcher: 'platform/pubsub-emulator/bin/cloud-pubsub-emulator',
    args: (host: string, port: string) => [`--host=${host}`, `--port=${port}`],
  },
  firestore: {
    component: 'cloud-firestore-emulator',
    launcher: 'platform/cloud-firestore-emulator/cloud_firestore_emulator',
    args: (host: string, port: string) => ['start', `--host=${host}`, `--port=${port}`],
  },
} as const;

export type EmulatorName = keyof typeof components;

export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
}

/** The Google Cloud SDK's root, or an error that says exactly what to install. */
export function sdkRoot(): string {
  try {
    return execFileSync('gcloud', ['info', '--format=value(installation.sdk_root)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    throw new MissingToolError(
      'gcloud is not installed. Install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install), ' +
        'then: gcloud components install pubsub-emulator cloud-firestore-emulator ' +
        '(on Debian/Ubuntu: apt-get install google-cloud-cli-pubsub-emulator google-cloud-cli-firestore-emulator), ' +
        'and Java 17 or later.',
    );
  }
}

function launcher(root: string, name: EmulatorName): string {
  const path = join(root, components[name].launcher);
  if (!existsSync(path)) {
    const { component } = components[name];
    throw new MissingToolError(
      `the ${name} emulator is not installed. Run: gcloud components install ${component} ` +
        `(on Debian/Ubuntu: apt-get install google-cloud-cli-${component.replace('cloud-', '')})`,
    );
  }
  return path;
}

export function checkJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new MissingToolError('Java is not installed: the emulators need Java 17 or later.');
  }
}

/** Starts an emulator on `hostPort` and resolves once it answers. */
export async function startEmulator(
  name: EmulatorName,
  hostPort: string,
  root: string,
  log: LogSink,
): Promise<ManagedProcess> {
  const [host = '127.0.0.1', port = ''] = hostPort.split(':');
  // The emulators are chatty; their warnings and errors are what a developer needs.
  const quiet: LogSink = (source, line) => {
    if (/SEVERE|WARN|ERROR|Exception/.test(line)) log(source, line);
  };
  const process = spawnManaged(
    `${name}-emulator`,
    launcher(root, name),
    components[name].args(host, port),
    { log: quiet },
  );
  try {
    await waitUntilReady(`http://${hostPort}/`, process);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return process;
}
