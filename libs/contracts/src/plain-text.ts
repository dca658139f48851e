import { storableTextProblem } from './storable-json';

/** The longest event title, in characters (Unicode code points, so an emoji counts once). */
export const MAX_TITLE_LENGTH = 200;

// C0 and C1 control characters (tab and newlines included) and the Unicode line and paragraph separators:
// a title is one line of text, shown as sent.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Why a string is not an event title, or undefined when it is: 1 to 200 characters of one-line plain text, not
 * only spaces, no control character, NUL or lone surrogate. It is stored and shown exactly as sent (not trimmed).
 */
export function titleProblem(value: string): string | undefined {
  const length = codePoints(value);
  if (length < 1 || length > MAX_TITLE_LENGTH) return `must be 1 to ${MAX_TITLE_LENGTH} characters`;
  const storable = storableTextProblem(value);
  if (storable) return storable;
  if (CONTROL.test(value)) return 'must be one line of plain text: no control characters (tab, newline, …)';
  if (value.trim().length === 0) return 'must not be only whitespace';
  return undefined;
}
