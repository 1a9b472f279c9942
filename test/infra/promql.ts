import { parser } from '@prometheus-io/lezer-promql';

/** Where Prometheus' own grammar (the one its web UI uses) finds a syntax error, if anywhere. */
export function promqlErrorAt(query: string): number | undefined {
  let at: number | undefined;
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) at ??= node.from;
    },
  });
  return at;
}
