import type {
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  Precondition,
  Transaction,
} from '@google-cloud/firestore';
import { fieldValue } from '@orderflow/platform';
import { sum } from '../domain/stock-shards.js';

/**
 * Where a product's stock lives. A product document with `stock` holds it itself; one with
 * `stockShards: n` (n ≥ 2) has it in `products/{id}/stockShards/{0…n-1}`, each `{stock}`, and
 * no `stock` of its own. Orders write only the shards they take from, so buyers of a hot product
 * spread over n documents instead of queueing on one.
 */
export const stockShardsCollection = 'stockShards';

/** The number of shards a product document says it has; 1 when it holds its stock itself. */
export function shardCountOf(product: DocumentSnapshot): number {
  const count = product.get('stockShards') as unknown;
  return typeof count === 'number' && count > 1 ? count : 1;
}

export function shardRefs(product: DocumentReference, count: number): DocumentReference[] {
  const shards = product.collection(stockShardsCollection);
  return Array.from({ length: count }, (_, i) => shards.doc(String(i)));
}

/** A shard that is missing (a re-shard removed it since the product was read) holds nothing. */
export const levelOf = (shard: DocumentSnapshot) => (shard.get('stock') as number | undefined) ?? 0;

/**
 * The shards of every sharded product among `products`, read in one call, by product id
 * (a product that holds its stock itself has none).
 */
export async function readShards(
  db: Firestore | Transaction,
  products: readonly DocumentSnapshot[],
): Promise<Map<string, DocumentSnapshot[]>> {
  const sharded = products.filter((p) => p.exists && shardCountOf(p) > 1);
  const refs = sharded.flatMap((p) => shardRefs(p.ref, shardCountOf(p)));
  const read = refs.length ? await db.getAll(...refs) : [];
  let next = 0;
  return new Map(sharded.map((p) => [p.id, read.slice(next, (next += shardCountOf(p)))]));
}

/** A write's condition that the document is as it was read; refuses a document read as missing. */
export function unchangedSince(snapshot: DocumentSnapshot): Precondition {
  if (!snapshot.updateTime) throw new Error(`${snapshot.ref.path} was read as missing`);
  return { lastUpdateTime: snapshot.updateTime };
}

/** The product's available stock: its own `stock`, or the sum of its shards. */
export function stockOf(product: DocumentSnapshot, shards: readonly DocumentSnapshot[] = []) {
  return shardCountOf(product) > 1
    ? sum(shards.map(levelOf))
    : ((product.get('stock') as number | undefined) ?? 0);
}

/** The fields of the product document that say where `levels` (one per shard) are kept. */
export function stockFields(levels: readonly number[]) {
  return levels.length > 1 ? { stockShards: levels.length } : { stock: levels[0] ?? 0 };
}

/** As `stockFields`, for an update that also removes the other layout's field. */
export function stockUpdate(levels: readonly number[]) {
  return levels.length > 1
    ? { ...stockFields(levels), stock: fieldValue().delete() }
    : { ...stockFields(levels), stockShards: fieldValue().delete() };
}

/** What a transaction and a batch both offer (their overloads keep the union from being callable). */
interface ShardWriter {
  set(ref: DocumentReference, data: { stock: number }): unknown;
  delete(ref: DocumentReference): unknown;
}

/**
 * Writes the shard documents of `levels` (none for a single one) and deletes each of `existing`
 * that the new layout does not use, in the caller's transaction or batch.
 */
export function writeShards(
  writer: ShardWriter,
  product: DocumentReference,
  levels: readonly number[],
  existing: readonly DocumentReference[],
): void {
  const kept = levels.length > 1 ? shardRefs(product, levels.length) : [];
  kept.forEach((ref, i) => writer.set(ref, { stock: levels[i] ?? 0 }));
  const keptPaths = new Set(kept.map((ref) => ref.path));
  for (const ref of existing) if (!keptPaths.has(ref.path)) writer.delete(ref);
}
