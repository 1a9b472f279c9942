import type { DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';
import {
  levelOf,
  shardCountOf,
  shardRefs,
  stockUpdate,
  writeShards,
} from '@orderflow/order/adapters/firestore-stock';
import { maxStockShards, splitEvenly, sum } from '@orderflow/order/domain/stock-shards';
import { createFirestore } from '@orderflow/platform';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = `usage: npm run -s stock -- show <product>
       npm run -s stock -- reshard <product> <shards 1…${maxStockShards}>
       npm run -s stock -- add <product> <units>`;
const { positionals } = parseCli({ allowPositionals: true, options: {} }, usage);
const [command, productId, amount] = positionals;

const wholeNumber = (text: string | undefined, min: number, max: number) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(usage, 2);
  return n;
};
if (!productId || !['show', 'reshard', 'add'].includes(command ?? '')) fail(usage, 2);
if (positionals.length !== (command === 'show' ? 2 : 3)) fail(usage, 2);
const number =
  command === 'reshard'
    ? wholeNumber(amount, 1, maxStockShards)
    : command === 'add'
      ? wholeNumber(amount, 1, Number.MAX_SAFE_INTEGER)
      : 0;

/** The product's stock, one level per shard (one for a product that holds its own). */
async function levelsOf(reader: Firestore | Transaction, ref: DocumentReference) {
  const [product] = await reader.getAll(ref);
  if (!product?.exists) fail(`no product ${ref.id}`, 1);
  const count = shardCountOf(product);
  if (count === 1)
    return { levels: [(product.get('stock') as number | undefined) ?? 0], shards: [] };
  const shards = await reader.getAll(...shardRefs(ref, count));
  return { levels: shards.map(levelOf), shards: shards.map((s) => s.ref) };
}

/**
 * Reads the stock and writes its new layout in one transaction, so that no unit is lost or
 * made: an order's batch commits only if the shards it read are unchanged, and this changes them.
 */
function relayout(db: Firestore, ref: DocumentReference, next: (levels: number[]) => number[]) {
  return db.runTransaction(async (tx) => {
    const { levels, shards } = await levelsOf(tx, ref);
    const after = next(levels);
    tx.update(ref, stockUpdate(after));
    writeShards(tx, ref, after, shards);
    return after;
  });
}

const db = createFirestore(target());
try {
  const ref = db.collection('products').doc(productId);
  const levels =
    command === 'show'
      ? (await levelsOf(db, ref)).levels
      : await relayout(db, ref, (levels) =>
          command === 'add'
            ? levels.map((level, i) => level + (splitEvenly(number, levels.length)[i] ?? 0))
            : splitEvenly(sum(levels), number),
        );
  process.stdout.write(
    `${productId}: ${sum(levels)} units in ${levels.length} shard${levels.length > 1 ? 's' : ''}` +
      (levels.length > 1 ? `: ${levels.join(' ')}` : '') +
      '\n',
  );
} finally {
  await db.terminate();
}
