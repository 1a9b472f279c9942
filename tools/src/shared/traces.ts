import { readFile } from 'node:fs/promises';
import * as z from 'zod';

/** One span as the local span store keeps it, one JSON object a line. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  service: string;
  name: string;
  kind: string;
  startTime: string;
  durationMs: number;
  status: 'ok' | 'error' | 'unset';
  statusMessage?: string | undefined;
  attributes: Record<string, string | number | boolean>;
  links: { traceId: string; spanId: string }[];
}

export interface Trace {
  traceId: string;
  spans: SpanRecord[];
}

/**
 * The part of an OTLP/JSON trace export (ExportTraceServiceRequest) the store keeps:
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
const anyValue = z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: z.union([z.number(), z.string()]).optional(),
  doubleValue: z.number().optional(),
});
const keyValues = z.array(z.object({ key: z.string(), value: anyValue })).default([]);
const otlpSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.number().int().default(0),
  startTimeUnixNano: z.union([z.string(), z.number()]),
  endTimeUnixNano: z.union([z.string(), z.number()]),
  attributes: keyValues,
  status: z
    .object({ code: z.number().int().default(0), message: z.string().optional() })
    .default({ code: 0 }),
  links: z.array(z.object({ traceId: z.string(), spanId: z.string() })).default([]),
});
export const otlpTraceRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValues }).default({ attributes: [] }),
        scopeSpans: z.array(z.object({ spans: z.array(otlpSpan).default([]) })).default([]),
      }),
    )
    .default([]),
});

const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statuses = ['unset', 'ok', 'error'] as const;

export function spanRecords(request: z.output<typeof otlpTraceRequest>): SpanRecord[] {
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) => {
    const service = String(attributesOf(resource.attributes)['service.name'] ?? 'unknown');
    return scopeSpans.flatMap(({ spans }) =>
      spans.map((span) => {
        const start = BigInt(span.startTimeUnixNano);
        return {
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          service,
          name: span.name,
          kind: kinds[span.kind] ?? 'unspecified',
          startTime: new Date(Number(start / 1_000_000n)).toISOString(),
          durationMs: Number(BigInt(span.endTimeUnixNano) - start) / 1e6,
          status: statuses[span.status.code] ?? 'unset',
          statusMessage: span.status.message || undefined,
          attributes: attributesOf(span.attributes),
          links: span.links.map(({ traceId, spanId }) => ({ traceId, spanId })),
        };
      }),
    );
  });
}

function attributesOf(list: z.output<typeof keyValues>): SpanRecord['attributes'] {
  const entries = list.flatMap(({ key, value }) => {
    const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    return v === undefined
      ? []
      : [[key, typeof v === 'string' && value.intValue === v ? Number(v) : v]];
  });
  return Object.fromEntries(entries) as SpanRecord['attributes'];
}

export async function readSpans(file: string): Promise<SpanRecord[]> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as SpanRecord);
}

/**
 * The trace of an order: the one whose spans name the order first. A late publish by the
 * outbox relay has a trace of its own, linked to this one; the subscribers' spans are here.
 */
export function orderTrace(spans: readonly SpanRecord[], orderId: string): Trace | undefined {
  const first = spans
    .filter((s) => s.attributes['orderflow.order_id'] === orderId)
    .sort((a, b) => a.startTime.localeCompare(b.startTime))[0];
  if (!first) return undefined;
  return {
    traceId: first.traceId,
    spans: spans
      .filter((s) => s.traceId === first.traceId)
      .sort((a, b) => a.startTime.localeCompare(b.startTime)),
  };
}

/** One line of a waterfall: a span, its depth under its parent, and when it ran. */
export interface WaterfallRow {
  span: SpanRecord;
  depth: number;
  /** From the start of the trace's first span. */
  offsetMs: number;
}

/** The trace's spans in waterfall order: each parent followed by its children, by start time. */
export function waterfallRows(trace: Trace): WaterfallRow[] {
  const byParent = Map.groupBy(trace.spans, (s) => s.parentSpanId ?? '');
  const ids = new Set(trace.spans.map((s) => s.spanId));
  const origin = Math.min(...trace.spans.map((s) => Date.parse(s.startTime)));
  const rows: WaterfallRow[] = [];
  const visit = (span: SpanRecord, depth: number) => {
    rows.push({ span, depth, offsetMs: Date.parse(span.startTime) - origin });
    for (const child of byParent.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  // Roots, and spans whose parent is not in the store (still buffered, or outside the trace).
  for (const span of trace.spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId))) {
    visit(span, 0);
  }
  return rows;
}

/** A span's status as the waterfall shows it: an error with its message. */
export const statusText = (span: SpanRecord) =>
  span.status === 'error' ? `ERROR ${span.statusMessage ?? ''}`.trim() : span.status;

/** The trace as text: service, span (indented under its parent), start offset, duration, status. */
export function waterfall(trace: Trace): string {
  const rows = waterfallRows(trace).map(({ span, depth, offsetMs }) => [
    span.service,
    `${'  '.repeat(depth)}${span.name}`,
    `+${offsetMs} ms`,
    `${span.durationMs.toFixed(1)} ms`,
    statusText(span),
  ]);
  const header = ['SERVICE', 'SPAN', 'START', 'DURATION', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
