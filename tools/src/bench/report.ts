import type { Machine, Versions } from './machine.js';
import type { KeyFigures, RunResult } from './results.js';
import { relayDrainText, type RelayDrain } from './relay-drain.js';
import type { SaturationOutcome } from './saturation.js';
import { offeredRate, type BenchSettings } from './settings.js';
import {
  backlogTable,
  keyFigureLines,
  recoveryTable,
  resultsTable,
  saturationTable,
} from './table.js';

/** What `--json` writes: every figure, with the machine, versions and settings behind it. */
export interface BenchReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine & { loadAverageAfter: number[] };
  versions: Versions;
  settings: BenchSettings;
  keyFigures: KeyFigures;
  results: RunResult[];
  /** The saturation search's every step, absent when it did not run. */
  saturation?: SaturationOutcome;
  /** The outbox relay after an outage (`--relay-drain`), absent when it did not run. */
  relayDrain?: RelayDrain;
}

/** The table, the burst's backlog and the targets, as printed on stdout. */
export function reportText(report: BenchReport): string {
  const { results, saturation, relayDrain } = report;
  return [
    ...(results.length ? [resultsTable(results)] : []),
    ...(results.some((r) => r.backlog) ? ['', backlogTable(results)] : []),
    ...(results.some((r) => r.recovery) ? ['', recoveryTable(results)] : []),
    ...(saturation ? ['', saturationTable(saturation)] : []),
    ...(relayDrain ? ['', relayDrainText(relayDrain)] : []),
    '',
    ...keyFigureLines(report.keyFigures),
    '',
  ].join('\n');
}

export function chartSubtitle(report: BenchReport): string {
  const { settings, machine } = report;
  return [
    `${settings.mode} run ${report.finishedAt.slice(0, 10)}`,
    `${machine.cpus} × ${machine.cpuModel}`,
    `${offeredRate(settings.steady)} orders/s steady, ${offeredRate(settings.burst)}/s burst`,
    `Node ${report.versions.node}`,
  ].join(' · ');
}
