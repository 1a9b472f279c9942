import type { RunResult } from './results.js';
import { successRate } from './results.js';
import { scenarioNames, type ScenarioName } from './settings.js';
import { round } from './statistics.js';

const series = [
  { key: 'floor', label: 'floor (transaction then publish)', color: '#6b7280' },
  { key: 'event-driven', label: 'event-driven', color: '#2563eb' },
  { key: 'rr-sequential', label: 'request-response, sequential', color: '#dc2626' },
  { key: 'rr-parallel', label: 'request-response, parallel', color: '#ea580c' },
] as const;

/** Darkest to lightest: p50 is drawn over p95, over p99. */
const percentiles = [
  { key: 'p99', opacity: 0.25 },
  { key: 'p95', opacity: 0.5 },
  { key: 'p50', opacity: 1 },
] as const;

const width = 1000;
const height = 480;
const margin = { left: 70, right: 20, top: 78, bottom: 72 };
const plotHeight = height - margin.top - margin.bottom;
const plotWidth = width - margin.left - margin.right;

interface Bar {
  scenario: ScenarioName;
  series: (typeof series)[number];
  run: RunResult;
}

/** The bar of a series in a scenario: the floor's is its transaction-then-publish step. */
function barsOf(all: readonly RunResult[]): Bar[] {
  const results = all.filter((r) => r.round === undefined);
  const bars: Bar[] = [];
  for (const scenario of scenarioNames) {
    for (const s of series) {
      const run = results.find((r) =>
        s.key === 'floor'
          ? r.architecture === 'floor' &&
            r.step ===
              (scenario === 'hot-product' ? 'transaction+publish/hot' : 'transaction+publish')
          : r.architecture === s.key && r.scenario === scenario,
      );
      if (
        run?.latencyMs &&
        (s.key !== 'floor' || scenario === 'healthy' || scenario === 'hot-product')
      ) {
        bars.push({ scenario, series: s, run });
      }
    }
  }
  return bars;
}

/** Latency percentiles per scenario and architecture on a log scale, as a standalone SVG. */
export function latencyChart(results: readonly RunResult[], subtitle: string): string {
  const bars = barsOf(results);
  const scenarios = scenarioNames.filter((s) => bars.some((b) => b.scenario === s));
  const highest = Math.max(10, ...bars.map((b) => b.run.latencyMs?.p99 ?? 0));
  const lowest = Math.min(...bars.map((b) => b.run.latencyMs?.p50 ?? 1), 10);
  const scale = { bottom: 10 ** Math.floor(Math.log10(Math.max(lowest, 0.1))), top: 1 };
  scale.top =
    [1, 2, 5, 10]
      .map((step) => step * 10 ** Math.floor(Math.log10(highest)))
      .find((t) => t >= highest) ?? highest;
  const y = (value: number) => {
    const fraction =
      Math.log10(Math.max(value, scale.bottom) / scale.bottom) /
      Math.log10(scale.top / scale.bottom);
    return margin.top + plotHeight * (1 - fraction);
  };
  const groupWidth = plotWidth / Math.max(scenarios.length, 1);
  const barWidth = Math.min(36, (groupWidth - 24) / series.length);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(margin.left, 22, 'POST /orders latency per scenario and architecture', {
      size: 16,
      weight: 'bold',
    }),
    text(margin.left, 40, subtitle, { fill: '#4b5563' }),
    ...legend(),
    ...axis(scale, y),
  ];
  scenarios.forEach((scenario, g) => {
    const group = bars.filter((b) => b.scenario === scenario);
    const left = margin.left + g * groupWidth + (groupWidth - group.length * barWidth) / 2;
    parts.push(
      text(margin.left + (g + 0.5) * groupWidth, height - margin.bottom + 20, scenario, {
        anchor: 'middle',
        weight: 'bold',
      }),
    );
    group.forEach((bar, i) => parts.push(...drawBar(bar, left + i * barWidth, barWidth, y)));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function drawBar(bar: Bar, x: number, barWidth: number, y: (v: number) => number): string[] {
  const latency = bar.run.latencyMs;
  if (!latency) return [];
  const base = margin.top + plotHeight;
  const inner = barWidth - 4;
  const parts = percentiles.map(({ key, opacity }) => {
    const top = y(latency[key]);
    return `<rect x="${f(x + 2)}" y="${f(top)}" width="${f(inner)}" height="${f(base - top)}" fill="${bar.series.color}" fill-opacity="${opacity}"><title>${escape(`${bar.series.label}, ${bar.scenario}: ${key} ${latency[key]} ms`)}</title></rect>`;
  });
  parts.push(
    text(
      x + barWidth / 2,
      y(latency.p99) - 4,
      String(round(latency.p50, latency.p50 < 10 ? 1 : 0)),
      {
        anchor: 'middle',
        size: 10,
      },
    ),
  );
  const ok = successRate(bar.run);
  if (ok < 0.995) {
    parts.push(
      text(
        x + barWidth / 2,
        height - margin.bottom + 36 + (bar.series.key === 'rr-parallel' ? 12 : 0),
        `${round(ok * 100, 0)}% ok`,
        {
          anchor: 'middle',
          size: 10,
          fill: bar.series.color,
        },
      ),
    );
  }
  return parts;
}

/** 1, 2 and 5 times the powers of ten from `bottom` up to `top`. */
function ticks(bottom: number, top: number): number[] {
  const values: number[] = [];
  for (let decade = bottom; decade <= top; decade *= 10) {
    for (const step of [1, 2, 5]) if (step * decade <= top) values.push(step * decade);
  }
  return values;
}

function axis(scale: { bottom: number; top: number }, y: (v: number) => number): string[] {
  const parts: string[] = [];
  for (const value of ticks(scale.bottom, scale.top)) {
    const at = f(y(value));
    const major = Number.isInteger(Math.log10(value)) || value === scale.top;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${at}" y2="${at}" stroke="#e5e7eb" stroke-width="${major ? 1 : 0.5}"/>`,
    );
    if (major) {
      parts.push(
        text(margin.left - 8, y(value) + 4, duration(value), { anchor: 'end', fill: '#374151' }),
      );
    }
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#9ca3af"/>`,
    text(16, margin.top + plotHeight / 2, 'latency (log scale)', {
      anchor: 'middle',
      fill: '#374151',
      rotate: true,
    }),
    text(
      width - margin.right,
      height - 8,
      'bars: p50 (solid), p95, p99 (lighter); number: p50 ms; "% ok": share of requests answered 2xx',
      {
        anchor: 'end',
        size: 10,
        fill: '#4b5563',
      },
    ),
  );
  return parts;
}

function legend(): string[] {
  return series.flatMap((s, i) => {
    const x = margin.left + i * 230;
    return [
      `<rect x="${x}" y="52" width="12" height="12" fill="${s.color}"/>`,
      text(x + 18, 62, s.label, {}),
    ];
  });
}

const duration = (value: number) => (value >= 1000 ? `${value / 1000} s` : `${round(value, 1)} ms`);

const f = (n: number) => String(round(n, 1));

function text(
  x: number,
  y: number,
  content: string,
  options: {
    anchor?: 'start' | 'middle' | 'end';
    size?: number;
    weight?: 'bold';
    fill?: string;
    rotate?: boolean;
  },
): string {
  const attributes = [
    `x="${f(x)}"`,
    `y="${f(y)}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    options.size ? `font-size="${options.size}"` : '',
    options.weight ? `font-weight="${options.weight}"` : '',
    options.fill ? `fill="${options.fill}"` : '',
    options.rotate ? `transform="rotate(-90 ${f(x)} ${f(y)})"` : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${escape(content)}</text>`;
}

function escape(content: string): string {
  return content
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
