import { parseArgs } from 'node:util';
import {
  architectures,
  benchSettings,
  defaultPortBase,
  floorSteps,
  scenarioNames,
  type BenchSettings,
} from './settings.js';

export const usage = `usage: npm run bench [-- --quick] [--json <file>] [--svg <file>] [--use-running]
                     [--architectures a,b] [--scenarios a,b] [--floor a,b] | [-- --report <file>]
                     | [-- --tracing [--quick] [--json <file>]]
                     | [-- --hot [--quick] [--json <file>]]
                     | [-- --saturation [--quick] [--json <file>] [--saturation-svg <file>]]
                     | [-- --cold-start [--builds dist,bundle] [--json <file>]]
                     | [-- --relay-drain [--quick] [--json <file>]]
                     [--port-base <n>]
  --quick          every architecture and scenario, shortened: under 2 minutes with the system start
  --tracing        only the tracing overhead: the order service traced (as deployed, and every
                   order) against an untraced instance of it, their orders interleaved (no chart)
  --hot            only the hot product: orders/s on one product, its stock in one document against
                   16 shards, over two order services of their own, at rising rates (no chart)
  --saturation     only the saturation search: the highest open-loop rate of POST /orders (spread
                   over every product) with every answer 2xx and p99 under 1 s, against the floor's
                   (transaction then publish), side by side; the full and quick runs include it
  --saturation-svg <file>  its chart (default docs/saturation.svg; .local/bench/saturation-quick.svg
                   with --quick)
  --cold-start     only the cold start of each service: process start to first 200 of /healthz,
                   run as the image runs it, median of 10 starts (no emulators, no chart)
  --relay-drain    only the outbox relay after an outage: 3,000 orders (600 with --quick) committed
                   without a publish, then relay passes as Cloud Scheduler calls them until one
                   finds nothing; events published per second (no chart)
  --builds         with --cold-start: dist (tsc output), bundle (npm run bundle), or both (default)
  --json <file>    every figure, with the machine, versions and settings
  --svg <file>     the latency chart (default docs/benchmarks.svg; .local/bench/quick.svg with --quick)
  --use-running    load the system \`npm start\` runs (ports from its environment) instead of starting
                   one: the floor and event-driven only, as its order service is not ours to restart
  --architectures  a subset of ${architectures.join(', ')}
  --scenarios      a subset of ${scenarioNames.join(', ')}
  --floor          a subset of ${floorSteps.join(', ')} ('' for none)
  --report <file>  print and chart a report an earlier --json wrote, instead of running
  --port-base <n>  the benchmark's own system on ports n+25 to n+525 (order API n+80; default
                   ${defaultPortBase}), so that two benchmarks run side by side`;

export interface BenchOptions {
  settings: BenchSettings;
  json: string | undefined;
  svg: string | undefined;
  useRunning: boolean;
  report: string | undefined;
  tracing: boolean;
  hot: boolean;
  saturation: boolean;
  saturationSvg: string | undefined;
  coldStart: boolean;
  relayDrain: boolean;
  builds: ('dist' | 'bundle')[];
  portBase: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      svg: { type: 'string' },
      'use-running': { type: 'boolean', default: false },
      architectures: { type: 'string' },
      scenarios: { type: 'string' },
      floor: { type: 'string' },
      report: { type: 'string' },
      tracing: { type: 'boolean', default: false },
      hot: { type: 'boolean', default: false },
      saturation: { type: 'boolean', default: false },
      'saturation-svg': { type: 'string' },
      'cold-start': { type: 'boolean', default: false },
      'relay-drain': { type: 'boolean', default: false },
      builds: { type: 'string' },
      'port-base': { type: 'string' },
    },
  });
  if (values.hot && (values.tracing || values['use-running'])) {
    throw new UsageError(
      '--hot starts its own order services: not with --tracing or --use-running',
    );
  }
  const alone = (['tracing', 'hot', 'saturation'] as const).filter((o) => values[o]);
  if (values['relay-drain'] && (alone.length || values['use-running'])) {
    throw new UsageError(
      '--relay-drain is a run of its own, on a system of its own: not with --tracing, --hot, --saturation or --use-running',
    );
  }
  if (values.tracing && values['use-running']) {
    throw new UsageError('--tracing starts its own system: it cannot --use-running');
  }
  if (values.tracing && values.saturation) {
    throw new UsageError('--tracing and --saturation are runs of their own: choose one');
  }
  const base = benchSettings[values.quick ? 'quick' : 'full'];
  return {
    settings: {
      ...base,
      architectures: subset(
        'architectures',
        values.architectures,
        architectures,
        base.architectures,
      ),
      scenarios: subset('scenarios', values.scenarios, scenarioNames, base.scenarios),
      floorSteps: subset('floor', values.floor, floorSteps, base.floorSteps),
    },
    json: values.json,
    svg: values.svg,
    useRunning: values['use-running'],
    report: values.report,
    tracing: values.tracing,
    hot: values.hot,
    saturation: values.saturation,
    saturationSvg: values['saturation-svg'],
    coldStart: values['cold-start'],
    relayDrain: values['relay-drain'],
    builds: subset('builds', values.builds, ['dist', 'bundle'] as const, ['dist', 'bundle']),
    portBase: portBase(values['port-base']),
  };
}

/** The names a comma-separated option lists, in their canonical order; all of `fallback` when absent. */
function subset<T extends string>(
  option: string,
  given: string | undefined,
  known: readonly T[],
  fallback: readonly T[],
): T[] {
  if (given === undefined) return [...fallback];
  const names = given.split(',').filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n as T));
  if (unknown.length) throw new UsageError(`--${option}: unknown ${unknown.join(', ')}`);
  return known.filter((n) => names.includes(n));
}

/** Room for every port the benchmark opens (base + 25 to base + 525) below 65536. */
function portBase(given: string | undefined): number {
  if (given === undefined) return defaultPortBase;
  const base = Number(given);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    throw new UsageError(`--port-base: a whole number from 1024 to 65000, not ${given}`);
  }
  return base;
}
