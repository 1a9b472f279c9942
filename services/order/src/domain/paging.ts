/**
 * Keyset pagination: a page ends at a position, and the next page starts after it. Positions
 * name the fields a list is sorted by, with the id last so that two equal values never tie.
 */
export interface PageRequest<Position> {
  limit: number;
  after?: Position | undefined;
}

export interface Page<T, Position> {
  items: T[];
  /** Where the next page starts; absent on the last page. */
  next?: Position | undefined;
}

/** The catalog is listed by name. */
export interface ProductPosition {
  name: string;
  id: string;
}

/** A customer's orders are listed newest first. */
export interface OrderPosition {
  createdAt: string;
  id: string;
}

/** One page from a list already sorted and cut after `after`: takes one more to know if more follow. */
export function pageOf<T, Position>(
  sortedAfter: readonly T[],
  limit: number,
  positionOf: (item: T) => Position,
): Page<T, Position> {
  const items = sortedAfter.slice(0, limit);
  const last = items.at(-1);
  return sortedAfter.length > limit && last ? { items, next: positionOf(last) } : { items };
}
