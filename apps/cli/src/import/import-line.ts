import { createHash } from 'node:crypto';

export interface ImportItem {
  line: number;
  raw: string;
  event: Record<string, unknown>;
}

export interface LocalReject {
  line: number;
  raw: string;
  error: { code: string; message: string };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The idempotency key of one line: the same file name, line number and content always give the same key, so a
 * rerun (or a resumed run that resends a batch) never stores an event twice.
 */
export function idempotencyKeyOf(fileName: string, line: number, raw: string): string {
  return `import:${sha(fileName).slice(0, 16)}:${line}:${sha(raw).slice(0, 16)}`;
}

/** Parses one NDJSON line into a batch item, or explains locally why it cannot be sent. */
export function parseLine(fileName: string, line: number, raw: string): ImportItem | LocalReject | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { line, raw, error: { code: 'VALIDATION_ERROR', message: 'the line is not valid JSON' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { line, raw, error: { code: 'VALIDATION_ERROR', message: 'the line is not a JSON object' } };
  }
  const event = { ...(parsed as Record<string, unknown>) };
  event.idempotencyKey ??= idempotencyKeyOf(fileName, line, trimmed);
  return { line, raw, event };
}

export function isReject(value: ImportItem | LocalReject): value is LocalReject {
  return 'error' in value;
}
