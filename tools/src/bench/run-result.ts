import type { EffectsOutcome } from './effects.js';
import type { RecoveryOutcome } from './recovery.js';
import type { Architecture, FloorStep, ScenarioName } from './settings.js';
import type { Distribution } from './statistics.js';
import type { HotCommits, HotLayout } from './workload.js';

// What one run of a measure yields: the bench's records, shared by every measure and report.

export interface BacklogOutcome {
  /** The most orders placed and not yet done by every subscriber at one time. */
  peakOrders: number;
  /** When that was, in seconds from the start of the burst. */
  peakAtSeconds: number;
  /** From the end of the burst until the last order's last effect, in seconds. */
  drainSeconds: number | undefined;
  /** Orders committed during the burst without every effect done once the wait ended. */
  lost: number;
  /** Orders fully done per second from the start of the burst to the end of the drain. */
  endToEndRate: number | undefined;
}

export interface RunResult {
  architecture: 'floor' | Architecture;
  scenario: ScenarioName;
  /** The floor's step; absent for the order API's runs. */
  step?: FloorStep;
  /** Which of the paired rounds (`BenchSettings.rounds`) the run belongs to; absent outside them. */
  round?: number;
  /** The tracing comparison's side (`--tracing`); absent outside it. */
  tracing?: TracingSide;
  /** The hot-product ladder's layout (`--hot`); absent outside it. */
  hot?: { layout: HotLayout; commits: HotCommits; shards: number; instances: number };
  connections: number;
  /** Orders per second offered, `connections` of them at the start of every second. */
  offeredRate: number;
  seconds: number;
  requests: number;
  successes: number;
  failures: Record<string, number>;
  /** Successes per second. */
  throughput: number;
  latencyMs: Distribution | undefined;
  /**
   * The order service's own CPU time per order answered 2xx over the run, from Linux's
   * `/proc`: the tracing comparison's pooled runs only, each side a process of its own.
   */
  cpuMsPerOrder?: number;
  /** Of every order committed during the run, answered or not. */
  effects?: EffectsOutcome;
  backlog?: BacklogOutcome;
  /** After the failing-seller scenario's outage (event-driven): the mend, the replay, all done. */
  recovery?: RecoveryOutcome;
}

export type TracingSide = 'on' | 'all' | 'off';
