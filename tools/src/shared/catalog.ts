import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { currencyCode, maxAmountMinor, resourceId as id } from '@orderflow/platform';
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
        }),
      )
      .default([]),
  });

export type Catalog = z.output<ReturnType<typeof catalogSchema>>;

export function parseCatalog(json: unknown, targets: WebhookTargets): Catalog {
  const result = catalogSchema(targets).safeParse(json);
  if (result.success) return result.data;
  throw new Error(`invalid catalog:\n${z.prettifyError(result.error)}`);
}

const batchLimit = 500;

/** Creates or replaces every seller and product of the catalog. */
export async function upsertCatalog(db: Firestore, catalog: Catalog): Promise<void> {
  const writes = [
    ...catalog.sellers.map(({ id, ...seller }) => ({
      ref: db.collection('sellers').doc(id),
      data: seller,
    })),
    ...catalog.products.map(({ id, ...product }) => ({
      ref: db.collection('products').doc(id),
      data: product,
    })),
  ];
  for (let start = 0; start < writes.length; start += batchLimit) {
    const batch = db.batch();
    for (const { ref, data } of writes.slice(start, start + batchLimit)) batch.set(ref, data);
    await batch.commit();
  }
}
