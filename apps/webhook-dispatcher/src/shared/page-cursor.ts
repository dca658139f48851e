import { isId } from '@app/contracts';
import { type CursorSigner, ValidationError } from '@app/http';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** Which list a cursor pages, and the query it was issued for: a cursor is refused anywhere else. */
export interface IdCursorScope {
  list: 'webhook-targets' | 'deliveries';
  bound?: unknown;
}

/** Keyset cursors over ULID ids (newest first): the last id of the page, signed (see CursorSigner). */
export function encodeIdCursor(signer: CursorSigner, scope: IdCursorScope, id: string): string {
  return signer.encode(scope.list, [id], scope.bound);
}

export function decodeIdCursor(
  signer: CursorSigner,
  scope: IdCursorScope,
  cursor: string | undefined,
): string | undefined {
  if (cursor === undefined) return undefined;
  const fields = signer.decode(scope.list, cursor, scope.bound);
  const [id] = fields;
  if (fields.length !== 1 || typeof id !== 'string' || id.length > 64 || !isId(id))
    throw ValidationError.field('cursor', 'is not a cursor returned by this API for this query');
  return id;
}

/** `rows` was fetched with limit + 1: the extra row only says that there is more. `view` maps the items shown. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  cursorOf: (id: string) => string,
): Page<T>;
export function toPage<T extends { id: string }, V>(
  rows: T[],
  limit: number,
  cursorOf: (id: string) => string,
  view: (row: T) => V,
): Page<V>;
export function toPage<T extends { id: string }, V>(
  rows: T[],
  limit: number,
  cursorOf: (id: string) => string,
  view?: (row: T) => V,
): Page<T | V> {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return {
    items: view ? items.map(view) : items,
    nextCursor: hasMore ? cursorOf(items[items.length - 1].id) : null,
    hasMore,
  };
}
