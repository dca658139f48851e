import { isId } from '@app/contracts';
import { isInTimestampRange, ValidationError } from '@app/http';

/**
 * Where a live stream stands: the greatest (createdAt, id) it sent. It is the SSE event id, so a client that
 * reconnects with `Last-Event-ID` resumes after it. A fresh stream starts at the time it connected, with an
 * empty id (before every item created at that instant).
 */
export interface LivePosition {
  createdAt: string;
  id: string;
}

export function laterOf(a: LivePosition, b: LivePosition): LivePosition {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b;
  return a.id >= b.id ? a : b;
}

/** Opaque to clients: base64url of `[createdAt, id]`. */
export function encodeLivePosition(position: LivePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeLivePosition(value: string): LivePosition {
  const invalid = () => ValidationError.field('Last-Event-ID', 'is not an event id sent by this stream');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string') throw invalid();
  const time = Date.parse(createdAt);
  if (Number.isNaN(time) || new Date(time).toISOString() !== createdAt) throw invalid();
  // Outside years 0001–9999 PostgreSQL refuses the time, and the stream would fail on its first read.
  if (!isInTimestampRange(createdAt)) throw invalid();
  if (id !== '' && !isId(id)) throw invalid();
  return { createdAt, id };
}
