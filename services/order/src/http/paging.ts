import type { Request, Response } from 'express';
import * as z from 'zod';
import { AppError } from '@orderflow/platform';
import type { Page, PageRequest } from '../domain/paging.js';
import { parseInput } from './validation.js';

export const maxPageSize = 100;

export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxPageSize)
    .default(20)
    .meta({ description: `1 to ${maxPageSize}` }),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: "the previous page's nextCursor; opaque" }),
});

/**
 * Reads `limit` and `cursor`. The cursor is the position a page ended at, as base64url JSON:
 * opaque to clients, and checked against the position's schema like any other input.
 */
export function parsePageQuery<Position>(
  query: unknown,
  position: z.ZodType<Position>,
): PageRequest<Position> {
  const { limit, cursor } = parseInput(pageQuery, query, 'invalid paging parameters');
  if (cursor === undefined) return { limit };
  const after = position.safeParse(decoded(cursor));
  if (after.success) return { limit, after: after.data };
  throw new AppError('invalid-request', 'invalid paging parameters', {
    invalidParams: [{ name: 'cursor', reason: 'not a cursor this list gave out' }],
  });
}

/** Answers `{ [name]: items, nextCursor }` with a `Link: <…>; rel="next"` when more follow. */
export function sendPage<T, Position>(
  req: Request,
  res: Response,
  name: string,
  { items, next }: Page<T, Position>,
  { limit }: PageRequest<Position>,
  resource: (item: T) => unknown,
): void {
  const nextCursor = next === undefined ? null : encode(next);
  if (nextCursor) {
    const query = new URLSearchParams({ limit: String(limit), cursor: nextCursor });
    res.links({ next: `${req.baseUrl}${req.path}?${query.toString()}` });
  }
  res.json({ [name]: items.map(resource), nextCursor });
}

const encode = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

function decoded(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
