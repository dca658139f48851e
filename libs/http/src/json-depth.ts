import { CLOSE_BRACE, CLOSE_BRACKET, endOfString, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-text';

/**
 * How deeply a JSON text nests (arrays and objects), scanned without parsing: brackets inside strings do not
 * count. Stops at the first container deeper than `limit` and returns true; false when none is.
 *
 * This is the hot ingest path, so the common case costs nothing: a text with no more than `limit` opening
 * brackets in all cannot nest deeper than `limit`, and counting them is a few native indexOf calls.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  if (!hasMoreOpeningBrackets(text, limit)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = endOfString(text, i);
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

function hasMoreOpeningBrackets(text: string, limit: number): boolean {
  if (text.length <= limit * 2) return false;
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1))
      if (++count > limit) return true;
  }
  return false;
}
