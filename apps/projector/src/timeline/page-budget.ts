/**
 * The leading rows that make a page: at most `limit` of them, and no more than `maxBytes` of serialized JSON
 * (a page of 200 items of 32 KiB each would be 6.5 MB) — but always the first one, so paging moves on however
 * large a single item is. `hasMore` says that rows were left for the next page.
 */
export function fitPage<T>(rows: T[], limit: number, maxBytes: number): { items: T[]; hasMore: boolean } {
  const items: T[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, limit)) {
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    if (items.length > 0 && bytes > maxBytes) break;
    items.push(row);
  }
  return { items, hasMore: rows.length > items.length };
}
