import { createHash } from 'node:crypto';
import { toUtcIso } from '@app/http';

/** The fields of an event body that decide whether two requests are "the same" (the ingest DTO is one). */
export interface HashedEventBody {
  customerExternalId: string;
  type: string;
  title?: string;
  payload?: Record<string, unknown>;
  occurredAt?: string;
}

/** JSON with object keys sorted at every level, so `{a, b}` and `{b, a}` serialise alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What "the same body" means for an Idempotency-Key: the same event once defaults and spelling are
 * normalised — key order, an omitted payload vs `{}`, and one instant written with different offsets do not
 * count as differences. Batch items hash like single events, so a key may move from one endpoint to the other.
 */
export function requestHash(dto: HashedEventBody): string {
  const canonical = canonicalJson({
    customerExternalId: dto.customerExternalId,
    type: dto.type,
    // Left out when absent (canonicalJson drops undefined): keys stored before titles existed keep their hash.
    title: dto.title,
    payload: dto.payload ?? {},
    occurredAt: dto.occurredAt ? toUtcIso(dto.occurredAt) : null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
