import type { EffectsOutcome } from './effects.js';
import type { KeyFigures, RunResult, TracingOverhead, TracingSide } from './results.js';
import { successRate } from './results.js';
import { sideLabels, type SaturationOutcome } from './saturation.js';
import { round } from './statistics.js';

const tracingLabels: Record<TracingSide, string> = {
  on: 'traced as deployed',
  all: 'every order traced',
  off: 'untraced',
};

/** Columns padded to their widest cell: text to the left, numbers to the right. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-\d.,% ×x]*$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Done out of committed, and what is not done: dead-lettered, or still open when the wait ended. */
const effectsCell = (e: EffectsOutcome) =>
  [
    `${e.done}/${e.orders}`,
    e.deadLettered ? `${e.deadLettered} dead-lettered` : '',
    e.unfinished ? `${e.unfinished} open` : '',
  ]
    .filter(Boolean)
    .join(', ');

const ms = (value: number | undefined) => (value === undefined ? '-' : String(round(value, 1)));
const percent = (value: number) => `${round(value * 100, 1)}%`;

export function resultsTable(results: readonly RunResult[]): string {
  const header = [
    'architecture',
    'scenario',
    'offered',
    'requests',
    'ok',
    'failed',
    'ok %',
    'ok/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'effects done',
    'done p50 ms',
    'done p95 ms',
    'done max ms',
  ];
  const rows = results.map((r) => {
    const { effects } = r;
    return [
      r.architecture,
      [
        r.step ?? r.scenario,
        ...(r.tracing ? [tracingLabels[r.tracing]] : []),
        ...(r.hot
          ? [`${r.hot.commits}, ${r.hot.layout} ×${r.hot.shards}, ${r.hot.instances} instances`]
          : []),
        ...(r.round === undefined ? [] : [`round ${r.round}`]),
      ].join(', '),
      `${r.offeredRate}/s`,
      String(r.requests),
      String(r.successes),
      String(r.requests - r.successes),
      percent(successRate(r)),
      String(round(r.throughput, 1)),
      ms(r.latencyMs?.p50),
      ms(r.latencyMs?.p95),
      ms(r.latencyMs?.p99),
      ms(r.latencyMs?.max),
      effects ? effectsCell(effects) : '-',
      ms(effects?.completionMs?.p50),
      ms(effects?.completionMs?.p95),
      ms(effects?.completionMs?.max),
    ];
  });
  return formatTable(header, rows);
}

export function backlogTable(results: readonly RunResult[]): string {
  const rows = results.flatMap((r) =>
    r.backlog
      ? [
          [
            r.architecture,
            String(r.effects?.orders ?? '-'),
            String(r.backlog.peakOrders),
            String(round(r.backlog.peakAtSeconds, 1)),
            r.backlog.drainSeconds === undefined ? '-' : String(round(r.backlog.drainSeconds, 1)),
            String(r.backlog.lost),
            r.backlog.endToEndRate === undefined ? '-' : String(r.backlog.endToEndRate),
          ],
        ]
      : [],
  );
  const header = ['burst', 'committed', 'peak backlog', 'peak at s', 'drain s', 'lost', 'done/s'];
  return formatTable(header, rows);
}

export function recoveryTable(results: readonly RunResult[]): string {
  const header = [
    'after the outage',
    'orders',
    'done by retries',
    'dead-lettered',
    'left retrying',
    'replayed',
    'replay at s',
    'all done at s',
    'open',
  ];
  const rows = results.flatMap(({ architecture, recovery: r }) =>
    r
      ? [
          [
            architecture,
            String(r.orders),
            String(r.doneWithoutReplay),
            String(r.deadLettered),
            String(r.stuck),
            String(r.replayed),
            String(r.replayAfterSeconds),
            r.seconds === undefined ? '-' : String(r.seconds),
            String(r.open),
          ],
        ]
      : [],
  );
  return formatTable(header, rows);
}

/** Every step of the saturation search, each side in the order its rates were offered. */
export function saturationTable(outcome: SaturationOutcome): string {
  const header = ['saturation', 'offered', 'requests', 'ok', 'ok/s', 'p50 ms', 'p99 ms', 'max ms'];
  const rows = [outcome.floor, outcome.api].flatMap((search) =>
    search.steps.map((s) => [
      search.side,
      `${s.offeredRate}/s`,
      String(s.requests),
      String(s.successes),
      String(round(s.throughput, 1)),
      ms(s.latencyMs?.p50),
      ms(s.latencyMs?.p99),
      ms(s.latencyMs?.max),
      s.passed ? 'passed' : `failed: ${s.reason ?? ''}`,
    ]),
  );
  const found = [outcome.floor, outcome.api].map(
    (s) =>
      `${sideLabels[s.side]}: ${s.rate === undefined ? 'no rate passed' : `${s.rate} orders/s passed`}${s.failedRate === undefined ? ', none failed (a lower bound)' : `, ${s.failedRate}/s failed`}`,
  );
  return [formatTable([...header, 'verdict'], rows), ...found].join('\n');
}

/** The targets of the issue, one line each, with the figures behind them. */
export function keyFigureLines(figures: KeyFigures): string[] {
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const lines: string[] = [];
  const { floorRatio, sellerSlowChange, sellerFailingSuccessRate, burstLost } = figures;
  const medianOf = (rounds: number[], each: (value: number) => string) =>
    rounds.length > 1 ? `median of ${rounds.length} rounds (${rounds.map(each).join(', ')}): ` : '';
  if (floorRatio) {
    lines.push(
      `floor ratio: ${medianOf(floorRatio.rounds, (r) => `${r}×`)}event-driven p50 ${floorRatio.eventDrivenP50} ms / floor (transaction then publish) p50 ${floorRatio.floorP50} ms = ${floorRatio.value}× (target ≤ ${floorRatio.target}×: ${verdict(floorRatio.met)})`,
    );
  }
  if (sellerSlowChange) {
    lines.push(
      `sellers 200 ms slower: ${medianOf(sellerSlowChange.rounds, percent)}event-driven p50 ${sellerSlowChange.healthyP50} → ${sellerSlowChange.slowP50} ms, ${percent(sellerSlowChange.value)} (target < 10%: ${verdict(sellerSlowChange.met)})`,
    );
  }
  if (sellerFailingSuccessRate) {
    lines.push(
      `sellers failing: event-driven answered 2xx to ${sellerFailingSuccessRate.successes}/${sellerFailingSuccessRate.requests} = ${percent(sellerFailingSuccessRate.value)} (target 100%: ${verdict(sellerFailingSuccessRate.met)})`,
    );
  }
  if (burstLost) {
    lines.push(
      `burst: ${burstLost.committed} orders committed, ${burstLost.lost} without all three effects afterwards; peak backlog ${burstLost.peakOrders} orders, drained ${burstLost.drainSeconds === undefined ? '-' : round(burstLost.drainSeconds, 1)} s after the burst (target 0 lost: ${verdict(burstLost.met)})`,
    );
  }
  const { recovery } = figures;
  if (recovery) {
    lines.push(
      `recovery after the sellers' outage: ${recovery.orders} orders, ${recovery.doneWithoutReplay} done by the retries, ${recovery.deadLettered} dead-lettered (${recovery.replayed} dead letters replayed ${recovery.replayAfterSeconds} s after the mend); every order done ${recovery.seconds === undefined ? `never (${recovery.open} open)` : `${recovery.seconds} s after the mend`} (target: none left retrying${recovery.stuck ? ` (${recovery.stuck} were)` : ''}, all done: ${verdict(recovery.met)})`,
    );
  }
  const { tracingOverhead } = figures;
  if (tracingOverhead) {
    const line = (label: string, figure: TracingOverhead) =>
      `tracing overhead, ${label}: ${figure.pooled ? `${figure.rounds.length} rounds pooled (each: ${figure.rounds.map((r) => `${r} ms`).join(', ')}): ` : medianOf(figure.rounds, (r) => `${r} ms`)}order p50 traced ${figure.tracedP50} ms, untraced ${figure.untracedP50} ms: ${figure.value >= 0 ? '+' : ''}${figure.value} ms, ${figure.ratio}× (target ≤ 1 ms or ≤ 1.05×: ${verdict(figure.met)})${figure.cpuMsPerOrder ? `; order service CPU per order ${figure.cpuMsPerOrder.traced} ms traced, ${figure.cpuMsPerOrder.untraced} ms untraced` : ''}`;
    lines.push(line('as deployed', tracingOverhead));
    const { everyOrder } = tracingOverhead;
    if (everyOrder) lines.push(line('every order sampled', everyOrder));
  }
  const { hotProduct } = figures;
  if (hotProduct) {
    const { rates, lowLoadP50: low } = hotProduct;
    const capped = hotProduct.capped.length
      ? ` (${hotProduct.capped.join(', ')}: passed the highest rate tried)`
      : '';
    lines.push(
      `hot product on ${hotProduct.instances} instances, best orders/s with no error and p99 < 1 s: ${Object.entries(
        rates,
      )
        .map(([name, rate]) => `${name} ${rate}/s`)
        .join(
          ', ',
        )} (sharded: ${hotProduct.shards} shards)${capped}; shared / per-order commits on one document = ${hotProduct.value}× (target ≥ ${hotProduct.target}×: ${verdict(hotProduct.met)})`,
      `hot product at ${low.rate} orders/s, one document: p50 shared ${low.sharedMs} ms / per-order ${low.perOrderMs} ms = ${low.ratio}× (target ≤ ${low.target}×: ${verdict(low.met)})`,
    );
  }
  const { saturationRatio } = figures;
  if (saturationRatio) {
    lines.push(
      `saturation: order API ${saturationRatio.apiRate} orders/s / floor ${saturationRatio.floorRate} orders/s = ${percent(saturationRatio.value)}${saturationRatio.bounded ? '' : ' (a side never failed: a lower bound)'} (target ≥ ${percent(saturationRatio.target)}: ${verdict(saturationRatio.met)})`,
    );
  }
  for (const rr of figures.requestResponse) {
    lines.push(
      `${rr.architecture} ${rr.scenario}: p50 ${ms(rr.p50)} ms (${rr.p50OverEventDriven ?? '-'}× event-driven), ${percent(rr.successRate)} ok, ${round(rr.throughput, 1)} ok/s`,
    );
  }
  return lines;
}
