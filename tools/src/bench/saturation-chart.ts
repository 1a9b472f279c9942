import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { saturationRatio, sideLabels, type SaturationOutcome } from './saturation.js';

const colors = { api: '#2563eb', floor: '#6b7280' } as const;

/**
 * Each side's steps: what was offered against what was answered 2xx per second, and the p99
 * against the 1 s limit, filled where the step passed. Vega-Lite, rendered to SVG by Vega
 * headless, as the segments report is.
 */
export async function saturationChart(
  outcome: SaturationOutcome,
  subtitle: string,
): Promise<string> {
  const values = [outcome.floor, outcome.api].flatMap((search) =>
    search.steps.map((s) => ({
      side: sideLabels[search.side],
      offered: s.offeredRate,
      throughput: s.throughput,
      p99: s.latencyMs?.p99 ?? null,
      step: s.passed ? 'passed' : 'failed',
    })),
  );
  const ratio = saturationRatio(outcome);
  const found = [outcome.api, outcome.floor].map((s) => `${s.side} ${s.rate ?? '-'}/s`).join(', ');
  const color = {
    field: 'side',
    type: 'nominal' as const,
    title: null,
    scale: { domain: [sideLabels.floor, sideLabels.api], range: [colors.floor, colors.api] },
    legend: { orient: 'bottom' as const },
  };
  const x = { field: 'offered', type: 'quantitative' as const, title: 'offered, orders/s' };
  /** One side's steps as a line in rate order, a point each, filled where the step passed. */
  const steps = (y: { field: string; title: string; scale?: { type: 'log' } }) => [
    {
      mark: { type: 'line' as const, strokeWidth: 1.5 },
      encoding: {
        x,
        y: { ...y, type: 'quantitative' as const },
        color,
        order: { field: 'offered' },
      },
    },
    {
      mark: { type: 'point' as const, size: 60, strokeWidth: 2 },
      encoding: {
        x,
        y: { ...y, type: 'quantitative' as const },
        color,
        fill: {
          condition: { test: "datum.step === 'passed'", field: 'side', type: 'nominal' as const },
          value: 'white',
        },
        shape: { field: 'step', type: 'nominal' as const, legend: { orient: 'bottom' as const } },
        tooltip: [
          { field: 'side' },
          { field: 'offered' },
          { field: 'throughput' },
          { field: 'p99' },
          { field: 'step' },
        ],
      },
    },
  ];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Saturation of POST /orders, open loop: ${found}${ratio ? `, API/floor ${Math.round(ratio.value * 100)} %` : ''}`,
      subtitle,
    },
    data: { values },
    hconcat: [
      {
        width: 380,
        height: 260,
        title: 'answered 2xx per second',
        layer: steps({ field: 'throughput', title: 'ok, orders/s' }),
      },
      {
        width: 380,
        height: 260,
        title: 'p99 latency: a step passes under 1 s, every answer 2xx',
        layer: [
          ...steps({ field: 'p99', title: 'p99, ms', scale: { type: 'log' } }),
          {
            data: { values: [{ limit: 1000 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: '#dc2626' },
            encoding: { y: { field: 'limit', type: 'quantitative' } },
          },
        ],
      },
    ],
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
