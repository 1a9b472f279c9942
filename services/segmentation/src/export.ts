import type { CustomerSegment } from './domain/segment.js';

export type ExportFormat = 'ndjson' | 'csv';

const columns = [
  'customerId',
  'segment',
  'orderCount',
  'totalSpentCents',
  'firstOrderAt',
  'lastOrderAt',
] as const;

/** Lines of the export, for analysts: NDJSON, or CSV with a header and RFC 4180 quoting. */
export async function* exportSegments(
  segments: AsyncIterable<CustomerSegment>,
  format: ExportFormat,
): AsyncIterable<string> {
  if (format === 'csv') yield columns.join(',');
  for await (const segment of segments) {
    yield format === 'ndjson' ? JSON.stringify(segment) : csvRow(segment);
  }
}

function csvRow(segment: CustomerSegment): string {
  return columns
    .map((column) => {
      const value = segment[column];
      return csvField(typeof value === 'object' ? JSON.stringify(value) : String(value));
    })
    .join(',');
}

const csvField = (value: string) =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
