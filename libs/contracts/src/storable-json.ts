/**
 * What every consumer can store: the one rule the gateway applies before it acknowledges an event, and the
 * consumers apply again to each message (so a message written around the gateway goes to the DLQ with a clear
 * reason instead of failing in PostgreSQL). A value that passes is checked without allocating: the checks run on
 * the hot path of both.
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

/**
 * The first thing in a parsed JSON value that cannot be stored as sent, with its path: a string or a key with
 * a NUL or a lone surrogate, a number outside ±(2^53−1), nesting deeper than `maxDepth`. A value that can be
 * stored (nearly every one) is walked once without building a path or anything else; only a refused one is
 * walked again to name the place (firstStorableProblem).
 */
export function storableJsonProblem(
  value: unknown,
  name: string,
  maxDepth = MAX_JSON_DEPTH,
): StorableProblem | undefined {
  return isStorableJson(value, 1, maxDepth) ? undefined : firstStorableProblem(value, name, maxDepth);
}

/**
 * storableJsonProblem's verdict without the place. Recursive: it stops at `maxDepth`, so it never recurses
 * deeper than that however deep the value nests.
 */
function isStorableJson(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === 'string') return storableTextProblem(value) === undefined;
  if (typeof value === 'number') return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'object' || value === null) return true;
  if (depth > maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isStorableJson(value[i], depth + 1, maxDepth)) return false;
    return true;
  }
  for (const key in value) {
    if (storableTextProblem(key) !== undefined) return false;
    if (!isStorableJson((value as Record<string, unknown>)[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/** The first problem with its path, in one iterative walk (only for a value isStorableJson refused). */
export function firstStorableProblem(
  value: unknown,
  name: string,
  maxDepth = MAX_JSON_DEPTH,
): StorableProblem | undefined {
  const leaf = (v: unknown, path: string): StorableProblem | undefined => {
    const message =
      typeof v === 'string'
        ? storableTextProblem(v)
        : typeof v === 'number'
          ? storableNumberProblem(v)
          : undefined;
    return message === undefined ? undefined : { field: path, message };
  };
  if (typeof value !== 'object' || value === null) return leaf(value, name);
  const stack: Array<[object, string, number]> = [[value, name, 1]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    if (depth > maxDepth) return { field: path, message: `must not nest deeper than ${maxDepth} levels` };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child === 'object' && child !== null) stack.push([child, childPath(path, i), depth + 1]);
        else {
          const problem = leaf(child, childPath(path, i));
          if (problem) return problem;
        }
      }
      continue;
    }
    for (const key in node) {
      const keyProblem = storableTextProblem(key);
      if (keyProblem) return { field: childPath(path, key), message: `key ${keyProblem}` };
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push([child, childPath(path, key), depth + 1]);
      else {
        const problem = leaf(child, childPath(path, key));
        if (problem) return problem;
      }
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
  // The years as instants: no Date built per call (two per event on the ingest path).
  if (ms < FIRST_STORABLE_MS || ms >= AFTER_LAST_STORABLE_MS)
    return 'must fall within the years 0001 to 9999 once its offset is applied (UTC)';
  return undefined;
}

/** The first instant of MIN_STORABLE_YEAR and of the year after MAX_STORABLE_YEAR, UTC (setUTCFullYear: Date.UTC reads 0–99 as 19xx). */
const FIRST_STORABLE_MS = new Date(0).setUTCFullYear(MIN_STORABLE_YEAR, 0, 1);
const AFTER_LAST_STORABLE_MS = new Date(0).setUTCFullYear(MAX_STORABLE_YEAR + 1, 0, 1);
