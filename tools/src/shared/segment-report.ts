import { segmentLabels, type SegmentLabel } from '@orderflow/events';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

export type Distribution = { segment: SegmentLabel; customers: number }[];

/** How many customers hold each label now, every label listed, in the order labels are reached. */
export async function distributionOf(
  segments: AsyncIterable<{ segment: SegmentLabel }>,
): Promise<Distribution> {
  const counts = new Map<SegmentLabel, number>(segmentLabels.map((label) => [label, 0]));
  for await (const { segment } of segments) counts.set(segment, (counts.get(segment) ?? 0) + 1);
  return segmentLabels.map((segment) => ({ segment, customers: counts.get(segment) ?? 0 }));
}

/** A bar chart of the distribution, as SVG: Vega-Lite compiled, rendered by Vega headless. */
export async function distributionChart(distribution: Distribution): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Customers per segment',
    width: 360,
    height: 220,
    data: { values: distribution },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'segment', type: 'nominal', sort: [...segmentLabels], title: 'segment' },
      y: { field: 'customers', type: 'quantitative', title: 'customers' },
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
