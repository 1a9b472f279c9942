import * as z from 'zod';

/**
 * The one rule for every client string that becomes part of a Firestore document path (product
 * ids, order ids, the token's `sub`): 1 to 128 ASCII letters, digits, `_` and `-`, and not of
 * the form `__…__`, which Firestore reserves. Being ASCII without `/` or `.`, such an id is
 * always a single document id well under Firestore's 1,500-byte limit.
 */
export const maxIdLength = 128;

export const resourceId = z
  .string()
  .max(maxIdLength, `at most ${maxIdLength} characters`)
  .regex(/^[\w-]+$/, 'only letters, digits, _ and -')
  .refine((id) => !/^__.*__$/.test(id), 'ids of the form __…__ are reserved');

/**
 * Why Firestore would not take `id` as one document's id, or `undefined`: its documented limits
 * (https://firebase.google.com/docs/firestore/quotas#collections_documents_and_fields). Firestore
 * refuses `.`, `..` and `__…__` with INVALID_ARGUMENT, and an id with `/` either fails or names
 * another document. The in-memory adapters check it, so that tests see what Firestore does.
 * (Ids over 1,500 bytes Firestore refuses to write but reads as missing; no client id is written.)
 */
export function firestoreIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.includes('/')) return 'contains /';
  if (id === '.' || id === '..') return 'is . or ..';
  if (/^__.*__$/.test(id)) return 'matches __.*__';
  return undefined;
}
