import { isId } from '@app/contracts';
import { ValidationError } from '@app/http';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** Keyset cursors over ULID ids (newest first): opaque base64url of the last id of the page. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeIdCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!isId(id)) throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  return id;
}

/** `rows` was fetched with limit + 1: the extra row only says that there is more. */
export function toPage<T extends { id: string }, V>(rows: T[], limit: number, view: (row: T) => V): Page<V> {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return {
    items: items.map(view),
    nextCursor: hasMore ? encodeIdCursor(items[items.length - 1].id) : null,
    hasMore,
  };
}
