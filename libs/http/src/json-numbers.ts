import { randomBytes } from 'node:crypto';
import { DIGIT_0, DIGIT_9, DOT, endOfString, LOWER_E, MINUS, PLUS, QUOTE, UPPER_E } from './json-text';

/**
 * Numbers a double cannot hold as written (`1e-400` would be stored as 0, `1e400` as null,
 * `0.12345678901234567891` rounded): the gateway acknowledges only what every consumer stores as sent, and
 * JSON.parse rounds silently, so such numbers are found in the text before it parses.
 *
 * Each one is replaced by a marker that parses to NaN, a value no JSON text can produce: the validators then
 * refuse it with the path of the field that holds it (one batch item, not the whole batch).
 */

// The common case costs one regex test: a number can only be inexact with 16 or more digits (a double keeps
// 15 significant decimal digits exactly) or an exponent of 3 or more digits (beyond ±1e99).
const MAYBE_INEXACT = /\d[\d.]{15}|[eE][+-]?\d{3}/;
const MARKER = `\u0000inexact-number-${randomBytes(8).toString('hex')}`;
const QUOTED_MARKER = JSON.stringify(MARKER);

/** The text with each inexact number replaced by a marker string; the same string when there is none. */
export function markInexactNumbers(text: string): string {
  if (!MAYBE_INEXACT.test(text)) return text;
  let out: string[] | undefined;
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = endOfString(text, i);
    else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      if (!isShortDecimal(text, i, end) && !isExactDouble(text.slice(i, end))) {
        out ??= [];
        out.push(text.slice(copiedUpTo, i), QUOTED_MARKER);
        copiedUpTo = end;
      }
      i = end - 1;
    }
  }
  if (out === undefined) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}

/** Replaces the markers left by markInexactNumbers with NaN, in place; returns the value. */
export function inexactMarkersToNaN(value: unknown): unknown {
  if (value === MARKER) return NaN;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (child === MARKER) record[key] = NaN;
      else if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return value;
}

/**
 * Whether the JSON number `token` is exactly the double it parses to, read back in its shortest form: the same
 * significant digits at the same decimal exponent (a zero's sign aside: -0 is written back as 0).
 */
export function isExactDouble(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return false;
  const written = decimalOf(token);
  const stored = decimalOf(String(value));
  return written.digits === stored.digits && (written.digits === '' || written.exponent === stored.exponent);
}

/** Significant digits without leading or trailing zeros, and the power of ten of the first one. */
function decimalOf(number: string): { digits: string; exponent: number } {
  const unsigned = number.replace(/^[-+]/, '');
  const e = unsigned.search(/[eE]/);
  const mantissa = e < 0 ? unsigned : unsigned.slice(0, e);
  const power = e < 0 ? 0 : Number(unsigned.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const integer = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const all = integer + (dot < 0 ? '' : mantissa.slice(dot + 1));
  const leading = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(leading).replace(/0+$/, '');
  return { digits, exponent: power + integer.length - leading };
}

/**
 * Whether text[start, end) is `-?digits(.digits)?` with at most 15 digits: every such number is exact (a double
 * keeps 15 significant decimal digits, and without an exponent it is far from the double's limits), which is
 * what isExactDouble would answer, without building the token. The numbers of nearly every body are such.
 */
export function isShortDecimal(text: string, start: number, end: number): boolean {
  let i = text.charCodeAt(start) === MINUS ? start + 1 : start;
  let digits = 0;
  let dot = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) digits++;
    else if (c === DOT && dot < 0 && digits > 0) dot = i;
    else return false;
  }
  return digits > 0 && digits <= 15 && dot !== end - 1;
}

function isNumberChar(c: number): boolean {
  return (
    (c >= DIGIT_0 && c <= DIGIT_9) || c === DOT || c === MINUS || c === PLUS || c === LOWER_E || c === UPPER_E
  );
}
