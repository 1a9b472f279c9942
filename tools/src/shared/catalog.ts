import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import { z } from 'zod';
import { currencyCode, maxAmountMinor, resourceId as id } from '@orderflow/platform';
import {
  stockFields,
  stockShardsCollection,
  writeShards,
} from '@orderflow/order/adapters/firestore-stock';
import { maxStockShards, splitEvenly } from '@orderflow/order/domain/stock-shards';
import { webhookUrlProblem, type WebhookTargets } from '@orderflow/seller/webhook-targets';

/** A catalog whose webhook URLs the seller service will call: for a real project, public https only. */
export const catalogSchema = (targets: WebhookTargets) =>
  z.strictObject({
    sellers: z
      .array(
        z.strictObject({
          id,
          name: z.string().min(1),
          email: z.email(),
          webhookUrl: z
            .url()
            .superRefine((url, context) => {
              const problem = webhookUrlProblem(url, targets);
              if (problem)
                context.addIssue({ code: 'custom', message: `refused webhook URL: ${problem}` });
            })
            .optional(),
        }),
      )
      .default([]),
    products: z
      .array(
        z.strictObject({
          id,
          sellerId: id,
          name: z.string().min(1),
          priceCents: z.number().int().nonnegative().max(maxAmountMinor),
          currency: currencyCode,
          stock: z.number().int().nonnegative(),
          /** Stock documents the units are spread over: more for a product many buy at once. */
          stockShards: z.number().int().min(1).max(maxStockShards).default(1),
        }),
      )
      .default([]),
  });

type ParsedCatalog = z.output<ReturnType<typeof catalogSchema>>;

/** A catalog: a product without `stockShards` keeps its stock in itself. */
export type Catalog = Omit<ParsedCatalog, 'products'> & {
  products: (Omit<ParsedCatalog['products'][number], 'stockShards'> & { stockShards?: number })[];
};

export function parseCatalog(json: unknown, targets: WebhookTargets): Catalog {
  const result = catalogSchema(targets).safeParse(json);
  if (result.success) return result.data;
  throw new Error(`invalid catalog:\n${z.prettifyError(result.error)}`);
}

const batchLimit = 500;

/**
 * Creates or replaces every seller and product of the catalog; a product's stock is spread
 * evenly over its shards, and shards it no longer has are deleted.
 */
export async function upsertCatalog(db: Firestore, catalog: Catalog): Promise<void> {
  const writes: ((batch: WriteBatch) => void)[] = catalog.sellers.map(
    ({ id, ...seller }) =>
      (batch) =>
        batch.set(db.collection('sellers').doc(id), seller),
  );
  for (const { id, stock, stockShards = 1, ...product } of catalog.products) {
    const ref = db.collection('products').doc(id);
    const levels = splitEvenly(stock, stockShards);
    const existing = await ref.collection(stockShardsCollection).listDocuments();
    writes.push((batch) => {
      batch.set(ref, { ...product, ...stockFields(levels) });
      writeShards(batch, ref, levels, existing);
    });
  }
  // A product and its shards stay in one batch; a batch holds at most 500 writes.
  for (let start = 0; start < writes.length; start += batchLimit / (maxStockShards + 1)) {
    const batch = db.batch();
    for (const write of writes.slice(start, start + batchLimit / (maxStockShards + 1)))
      write(batch);
    await batch.commit();
  }
}
