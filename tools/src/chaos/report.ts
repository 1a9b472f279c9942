import type { CampaignReport } from './campaign.js';

/** How many of an audit line's orders the table names; `--json` has them all. */
const shown = 5;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The campaign's report as a table: the seed, the fault timeline, the load, every audit line. */
export function reportText(report: CampaignReport): string {
  const { seed, options, load, recovery } = report;
  const start = report.timeline.length
    ? Math.min(...report.timeline.map((t) => t.startedAt - t.fault.atMs))
    : 0;
  const out = [
    `seed ${seed}: npm run chaos -- --seed ${seed} --minutes ${options.minutes} --rate ${options.rate}`,
    `run ${report.run}, ${report.startedAt} to ${report.finishedAt}; seller ${report.downSeller} down all along`,
    '',
    'fault timeline',
    ...report.timeline.map(
      (t) =>
        `  +${seconds(t.startedAt - start).padStart(8)}  ${t.description}${t.note ? ` (${t.note})` : ''}` +
        (t.steps ?? [])
          .map((s) => `\n              ${s.outcome.padEnd(7)}${s.command}: ${s.said}`)
          .join(''),
    ),
    '',
    `load: ${load.planned} orders by ${load.customers} customers over ${seconds(load.durationMs)}, ` +
      `${load.products} products of ${load.sellers} sellers; ${load.requests} requests`,
    `  client outcomes: ${figures(load.outcomes)}`,
    `  answers: ${figures(load.answers)}; ${load.stockReads} reads of the stock`,
    `recovery: ${recovery.restarted.length ? `restarted ${recovery.restarted.join(', ')}; ` : ''}` +
      `settled in ${seconds(recovery.settledMs)}, drained after the walk-through in ${seconds(recovery.drainedMs)}`,
    ...recovery.steps.map((s) => `  ${s.outcome.padEnd(7)}${s.command}: ${s.said}`),
    '',
    'audit',
    ...report.audit.map((line) => {
      const mark = line.violation ? 'FAIL' : line.count ? 'info' : 'ok';
      const names = line.concerned.slice(0, shown).join(', ');
      const more = line.count > shown ? `, and ${line.count - shown} more` : '';
      const around = line.faultsAround
        ? `\n              placed during or within a minute of: ${figures(line.faultsAround)}`
        : '';
      return `  ${mark.padEnd(5)}${String(line.count).padStart(5)}  ${line.check}${names ? `\n              ${names}${more}` : ''}${around}`;
    }),
    '',
    report.violations ? `${report.violations} violations` : 'no violation',
  ];
  return `${out.join('\n')}\n`;
}

const figures = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
