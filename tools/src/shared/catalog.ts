import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import * as z from 'zod';
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

/** One document's writes (a product's are its own and its shards'), kept in one batch. */
interface Writes {
  count: number;
  write: (batch: WriteBatch) => void;
}

/**
 * Creates or replaces every seller and product of the catalog; a product's stock is spread
 * evenly over its shards, and shards it no longer has are deleted.
 */
export async function upsertCatalog(db: Firestore, catalog: Catalog): Promise<void> {
  const writes: Writes[] = catalog.sellers.map(({ id, ...seller }) => ({
    count: 1,
    write: (batch) => batch.set(db.collection('sellers').doc(id), seller),
  }));
  // The shards each product has now, read together rather than one product after another.
  const existing = await Promise.all(
    catalog.products.map(({ id }) =>
      db.collection('products').doc(id).collection(stockShardsCollection).listDocuments(),
    ),
  );
  for (const [i, { id, stock, stockShards = 1, ...product }] of catalog.products.entries()) {
    const ref = db.collection('products').doc(id);
    const levels = splitEvenly(stock, stockShards);
    const shards = existing[i] ?? [];
    writes.push({
      // The product, each shard written and at most each existing one deleted.
      count: 1 + (levels.length > 1 ? levels.length : 0) + shards.length,
      write: (batch) => {
        batch.set(ref, { ...product, ...stockFields(levels) });
        writeShards(batch, ref, levels, shards);
      },
    });
  }
  // A product and its shards stay in one batch; a batch holds at most 500 writes.
  let batch = db.batch();
  let inBatch = 0;
  for (const { count, write } of writes) {
    if (inBatch + count > batchLimit) {
      await batch.commit();
      [batch, inBatch] = [db.batch(), 0];
    }
    write(batch);
    inBatch += count;
  }
  if (inBatch) await batch.commit();
}
