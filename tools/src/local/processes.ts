import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export type LogSink = (source: string, line: string) => void;

export interface ManagedProcess {
  name: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) to the group, SIGKILL after 10 s, and waits for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Sends a signal to the whole group: SIGSTOP freezes it (as an unreachable server), SIGCONT thaws it. */
  signal(signal: NodeJS.Signals): void;
  /**
   * The CPU time the process itself has used so far, user and system, in milliseconds, from
   * Linux's `/proc/<pid>/stat`; undefined once it has ended or elsewhere.
   */
  cpuMs(): number | undefined;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  log: LogSink;
  /** A Node.js child gets an IPC channel; it closes when this process dies, however it dies. */
  ipc?: boolean;
}

/**
 * Runs a command under a shell that stops the whole group once its standard input closes,
 * which happens when this process dies, even by SIGKILL: no orphaned emulator keeps its port.
 */
const watchdog = [
  '-c',
  'exec 3<&0; "$@" & child=$!; { read -r _ <&3; kill -TERM -- -$$; } & wait $child',
  'watchdog',
];

/**
 * Runs a command in its own process group, so that stopping it also stops what it started
 * (the emulators' launch scripts start a JVM), and so that a terminal's Ctrl-C reaches
 * only the supervisor, which then stops everything in order.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ManagedProcess {
  const [file, argv] = options.ipc ? [command, args] : ['bash', [...watchdog, command, ...args]];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
  });
  // The channel only signals this process's death; it must not keep this process alive.
  child.channel?.unref();
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      options.log(name, line);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
    child.once('error', (error) => {
      options.log(name, `could not start: ${error.message}`);
      resolve(null);
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  return {
    name,
    exited,
    signal,
    cpuMs: () => (child.pid === undefined ? undefined : processCpuMs(child.pid)),
    stop: async (first = 'SIGTERM') => {
      signal(first);
      const killer = setTimeout(() => {
        signal('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(killer);
      // The JVM of an emulator may outlive its launch script by a moment.
      signal('SIGKILL');
    },
  };
}

/** Clock ticks per second of `/proc/<pid>/stat`'s times: USER_HZ, 100 on every Linux there is. */
const ticksPerSecond = 100;

export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command name, which is in parentheses and may hold spaces: utime and
  // stime are the 14th and 15th fields of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Polls `url` until it answers 2xx, the process dies, or the time runs out. */
export async function waitUntilReady(
  url: string,
  process: ManagedProcess | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state = { dead: false };
  void process?.exited.then(() => (state.dead = true));
  while (Date.now() < deadline) {
    if (state.dead) throw new Error(`${process?.name ?? url} exited before it was ready`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}
