import { isId } from '@app/contracts';
import { type CursorSigner, isInTimestampRange, ValidationError } from '@app/http';

/** Keyset position: the last item of a page, by (occurredAt desc, id desc). */
export interface TimelinePosition {
  occurredAt: string;
  id: string;
}

/** What a cursor was issued for: paging on with other filters or for another customer is refused. */
export interface TimelineScope {
  externalId: string;
  types?: string[];
  excludeTypes?: string[];
  from?: string;
  to?: string;
}

/** Versioned: a change of the fields makes older cursors invalid rather than misread. */
const KIND = 'timeline.v2';
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function bound(scope: TimelineScope): unknown[] {
  const fields: unknown[] = [scope.externalId, scope.types ?? null, scope.from ?? null, scope.to ?? null];
  // Appended only when present, so cursors issued before the exclusion filter existed still continue.
  if (scope.excludeTypes) fields.push(scope.excludeTypes);
  return fields;
}

/** Opaque to clients, signed (see CursorSigner): a tampered, forged or foreign cursor is a 400. */
export function encodeCursor(signer: CursorSigner, position: TimelinePosition, scope: TimelineScope): string {
  return signer.encode(KIND, [position.occurredAt, position.id], bound(scope));
}

/** A signed cursor is still checked field by field, as strictly as the query it continues. */
export function decodeCursor(signer: CursorSigner, cursor: string, scope: TimelineScope): TimelinePosition {
  const fields = signer.decode(KIND, cursor, bound(scope));
  const [occurredAt, id] = fields;
  const valid =
    fields.length === 2 &&
    typeof occurredAt === 'string' &&
    UTC_ISO.test(occurredAt) &&
    isInTimestampRange(occurredAt) &&
    new Date(occurredAt).toISOString() === occurredAt &&
    typeof id === 'string' &&
    id.length <= 64 &&
    isId(id);
  if (!valid) throw ValidationError.field('cursor', 'is not a cursor returned by this API for this query');
  return { occurredAt, id };
}
