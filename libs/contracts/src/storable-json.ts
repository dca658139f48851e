/**
 * What every consumer can store: the one rule the gateway applies before it acknowledges an event, and the
 * consumers apply again to each message (so a message written around the gateway goes to the DLQ with a clear
 * reason instead of failing in PostgreSQL). Checks are allocation-free: they run on the hot path of both.
 */

/** A JSON value nested deeper than this is refused (a payload's own levels, itself included). */
export const MAX_JSON_DEPTH = 32;

export interface StorableProblem {
  /** Where, as a path from the value's name: `payload.lines[2].sku`. */
  field: string;
  message: string;
}

// NUL: PostgreSQL text and jsonb cannot hold U+0000. A lone surrogate (a high one not followed by a low one,
// or a low one not preceded by a high one) is not Unicode: UTF-8 cannot encode it and PostgreSQL's JSON refuses it.
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as sent, or undefined when it can. */
export function storableTextProblem(value: string): string | undefined {
  if (value.includes(NUL)) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * Why a number cannot be stored as sent. Beyond ±(2^53−1) a double no longer holds every integer, so the value
 * read back may differ from the one written (9007199254740993 becomes …992; 1e400 becomes Infinity, then null).
 */
export function storableNumberProblem(value: number): string | undefined {
  if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return undefined;
  // NaN: the HTTP layer's mark for a number a double cannot hold as written (1e-400, 20 significant digits).
  if (Number.isNaN(value))
    return 'must be a number a double holds exactly as written: this one would be stored altered (too small or too precise)';
  return 'must be a number within ±9007199254740991 (2^53−1): beyond it JSON numbers do not round-trip exactly';
}

function childPath(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

/** A container met on the walk: its path is built from its parent's only when a problem needs it. */
interface Visit {
  node: object;
  parent: Visit | undefined;
  /** The key under the parent; the value's name for the root. */
  key: string | number;
  depth: number;
}

function pathOf(visit: Visit): string {
  return visit.parent ? childPath(pathOf(visit.parent), visit.key) : String(visit.key);
}

function leafProblem(v: unknown): string | undefined {
  return typeof v === 'string'
    ? storableTextProblem(v)
    : typeof v === 'number'
      ? storableNumberProblem(v)
      : undefined;
}

/**
 * The first thing in a parsed JSON value that cannot be stored as sent, with its path: a string or a key with
 * a NUL or a lone surrogate, a number outside ±(2^53−1), nesting deeper than `maxDepth`. One iterative walk;
 * paths are built only for the problem found.
 */
export function storableJsonProblem(
  value: unknown,
  name: string,
  maxDepth = MAX_JSON_DEPTH,
): StorableProblem | undefined {
  if (typeof value !== 'object' || value === null) {
    const message = leafProblem(value);
    return message === undefined ? undefined : { field: name, message };
  }
  const stack: Visit[] = [{ node: value, parent: undefined, key: name, depth: 1 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, depth } = visit;
    if (depth > maxDepth)
      return { field: pathOf(visit), message: `must not nest deeper than ${maxDepth} levels` };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child === 'object' && child !== null) {
          stack.push({ node: child, parent: visit, key: i, depth: depth + 1 });
          continue;
        }
        const message = leafProblem(child);
        if (message !== undefined) return { field: childPath(pathOf(visit), i), message };
      }
      continue;
    }
    for (const key in node) {
      const keyProblem = storableTextProblem(key);
      if (keyProblem) return { field: childPath(pathOf(visit), key), message: `key ${keyProblem}` };
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        stack.push({ node: child, parent: visit, key, depth: depth + 1 });
        continue;
      }
      const message = leafProblem(child);
      if (message !== undefined) return { field: childPath(pathOf(visit), key), message };
    }
  }
  return undefined;
}

export const MIN_STORABLE_YEAR = 1;
export const MAX_STORABLE_YEAR = 9999;

/**
 * Why a date-time's instant cannot be stored, or undefined: it must parse, and fall within the years 0001–9999
 * once its offset is applied (the contract's range; `0001-01-01T00:00:00+01:00` is in year 0).
 */
export function storableInstantProblem(value: string): string | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return 'must be an ISO-8601 date-time';
  if (ms < FIRST_STORABLE_MS || ms >= AFTER_LAST_STORABLE_MS)
    return 'must fall within the years 0001 to 9999 once its offset is applied (UTC)';
  return undefined;
}

/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in ms (Date.UTC would read years below 100 as 19xx). */
const FIRST_STORABLE_MS = new Date(0).setUTCFullYear(MIN_STORABLE_YEAR, 0, 1);
const AFTER_LAST_STORABLE_MS = new Date(0).setUTCFullYear(MAX_STORABLE_YEAR + 1, 0, 1);
