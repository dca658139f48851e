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

/** The index of the quote closing the JSON string opened at `open` (the text's length when none does). */
export function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return text.length;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function hasMoreOpeningBrackets(text: string, limit: number): boolean {
  if (text.length <= limit * 2) return false;
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1))
      if (++count > limit) return true;
  }
  return false;
}
