import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from './domain-errors';

/** What a cursor carries: a few plain values, checked again by whoever reads it. */
export type CursorField = string | number;

/** Far above any cursor we issue; bounds the work spent on a hostile one. */
const MAX_CURSOR_LENGTH = 400;

/**
 * Paging cursors signed with HMAC-SHA256 under a server secret: a client cannot forge or edit one, only hand
 * back what it was given. Opaque to clients: base64url of a JSON array, the fields followed by their MAC. The
 * MAC also covers a `kind` (which list the cursor pages) and a `bound` value (the query it was issued for)
 * that are not in the cursor, so one is refused on another list or with other filters.
 */
export class CursorSigner {
  constructor(private readonly key: Buffer) {}

  encode(kind: string, fields: readonly CursorField[], bound: unknown = null): string {
    const mac = this.mac(kind, fields, bound).toString('base64url');
    return Buffer.from(JSON.stringify([...fields, mac]), 'utf8').toString('base64url');
  }

  /**
   * The fields of a cursor this server issued for `kind` and `bound`, or a 400 on `field`. The caller still
   * validates each field as strictly as the query it stands for.
   */
  decode(kind: string, cursor: string, bound: unknown = null, field = 'cursor'): unknown[] {
    const invalid = () => ValidationError.field(field, 'is not a cursor returned by this API for this query');
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!Array.isArray(parsed) || parsed.length < 2) throw invalid();
    const fields = parsed.slice(0, -1) as unknown[];
    const mac = parsed[parsed.length - 1] as unknown;
    if (typeof mac !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(mac)) throw invalid();
    const presented = Buffer.from(mac, 'base64url');
    if (!timingSafeEqual(presented, this.mac(kind, fields, bound))) throw invalid();
    // Only the exact encoding we issue (no stray bits, spaces or escapes a decoder would forgive).
    if (Buffer.from(JSON.stringify(parsed), 'utf8').toString('base64url') !== cursor) throw invalid();
    return fields;
  }

  private mac(kind: string, fields: readonly unknown[], bound: unknown): Buffer {
    // JSON.stringify never emits a raw line break: the two parts cannot run into each other.
    return createHmac('sha256', this.key)
      .update(`${JSON.stringify([kind, bound ?? null])}\n${JSON.stringify(fields)}`)
      .digest();
  }
}
