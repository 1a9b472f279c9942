import { expect } from 'chai';
import type { CustomerSegment } from '@orderflow/segmentation/domain/segment';
import { exportSegments, type ExportFormat } from '@orderflow/segmentation/export';

function aSegment(overrides: Partial<CustomerSegment> = {}): CustomerSegment {
  return {
    customerId: 'customer-ada',
    orderCount: 2,
    totalSpentCents: { EUR: 3750 },
    firstOrderAt: '2025-03-01T10:00:00.000Z',
    lastOrderAt: '2025-03-02T10:00:00.000Z',
    segment: 'returning',
    ...overrides,
  };
}

async function exported(segments: CustomerSegment[], format: ExportFormat): Promise<string[]> {
  async function* source() {
    yield* segments;
    return Promise.resolve();
  }
  const lines: string[] = [];
  for await (const line of exportSegments(source(), format)) lines.push(line);
  return lines;
}

describe('exportSegments', () => {
  const ada = aSegment();
  const bob = aSegment({
    customerId: 'customer-bob',
    orderCount: 1,
    totalSpentCents: { EUR: 100, JPY: 500 },
    segment: 'new',
  });

  it('writes one JSON object per line as ndjson', async () => {
    const lines = await exported([ada, bob], 'ndjson');
    expect(lines.map((line) => JSON.parse(line) as unknown)).to.deep.equal([ada, bob]);
    for (const line of lines) expect(line).not.to.include('\n');
  });

  it('writes nothing for no segments as ndjson, and only the header as csv', async () => {
    expect(await exported([], 'ndjson')).to.deep.equal([]);
    expect(await exported([], 'csv')).to.deep.equal([
      'customerId,segment,orderCount,totalSpentCents,firstOrderAt,lastOrderAt',
    ]);
  });

  it('writes a header and a row per segment as csv, quoting the spend by currency', async () => {
    expect(await exported([ada, bob], 'csv')).to.deep.equal([
      'customerId,segment,orderCount,totalSpentCents,firstOrderAt,lastOrderAt',
      'customer-ada,returning,2,"{""EUR"":3750}",2025-03-01T10:00:00.000Z,2025-03-02T10:00:00.000Z',
      'customer-bob,new,1,"{""EUR"":100,""JPY"":500}",2025-03-01T10:00:00.000Z,2025-03-02T10:00:00.000Z',
    ]);
  });

  const quoting = [
    { id: 'plain', field: 'plain' },
    { id: 'with,comma', field: '"with,comma"' },
    { id: 'with "quote"', field: '"with ""quote"""' },
    { id: 'with\nnewline', field: '"with\nnewline"' },
  ];
  for (const { id, field } of quoting) {
    it(`writes the id ${JSON.stringify(id)} as ${field}`, async () => {
      const [, row] = await exported([aSegment({ customerId: id })], 'csv');
      expect(row?.startsWith(`${field},returning,`)).to.equal(true);
    });
  }
});
