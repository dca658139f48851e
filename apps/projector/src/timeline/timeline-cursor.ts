import { createHash } from 'node:crypto';
import { isId } from '@app/contracts';
import { ValidationError } from '@app/http';

/** Keyset position: the last item of a page, by (occurredAt desc, id desc). */
export interface TimelinePosition {
  occurredAt: string;
  id: string;
}

/** What a cursor was issued for: paging on with other filters or for another customer is refused. */
export interface TimelineScope {
  externalId: string;
  types?: string[];
  from?: string;
  to?: string;
}

const VERSION = 1;

/**
 * A check over the position and the query, so a tampered or hand-edited cursor (or one reused with other
 * filters) is a 400 rather than a silently different page. Not a secret: a cursor only ever narrows what the
 * caller's own key may read anyway.
 */
function checksum(position: TimelinePosition, scope: TimelineScope): string {
  const material = JSON.stringify([
    VERSION,
    position.occurredAt,
    position.id,
    scope.externalId,
    scope.types ?? null,
    scope.from ?? null,
    scope.to ?? null,
  ]);
  return createHash('sha256').update(material).digest('base64url').slice(0, 16);
}

/** Opaque to clients: base64url of a small JSON tuple. Anything that does not decode exactly is a 400. */
export function encodeCursor(position: TimelinePosition, scope: TimelineScope): string {
  const tuple = [VERSION, position.occurredAt, position.id, checksum(position, scope)];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

export function decodeCursor(cursor: string, scope: TimelineScope): TimelinePosition {
  const invalid = () =>
    ValidationError.field('cursor', 'is not a cursor returned by this API for this query');
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  // Decoding ignores stray trailing bits; only the exact encoding we issue is accepted.
  if (bytes.toString('base64url') !== cursor) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== VERSION) throw invalid();
  const [, occurredAt, id, check] = parsed as unknown[];
  if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt)) || !isId(id)) throw invalid();
  if (new Date(occurredAt).toISOString() !== occurredAt) throw invalid();
  const position = { occurredAt, id };
  if (check !== checksum(position, scope)) throw invalid();
  return position;
}
