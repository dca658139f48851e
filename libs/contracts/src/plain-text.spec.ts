import { titleProblem } from './plain-text';

describe(titleProblem.name, () => {
  it.each([
    'Order ord_9001 placed: 149.90 USD',
    'x',
    '  kept as sent  ',
    'é 日本 🎉',
    '🎉'.repeat(200),
    'a'.repeat(200),
  ])('accepts %p', (value) => expect(titleProblem(value)).toBeUndefined());

  it.each([
    ['empty', '', /1 to 200 characters/],
    ['201 characters', 'a'.repeat(201), /1 to 200 characters/],
    ['only spaces', '   ', /whitespace/],
    ['a newline', 'two\nlines', /control characters/],
    ['a tab', 'a\tb', /control characters/],
    ['an escape', 'a\u001b[31mred', /control characters/],
    ['a C1 control', 'a\u0085b', /control characters/],
    ['a line separator', 'a\u2028b', /control characters/],
    ['a NUL', 'a\u0000b', /NUL/],
    ['a lone surrogate', 'a\ud800b', /lone UTF-16 surrogate/],
  ])('refuses %s', (_, value, message) => expect(titleProblem(value)).toMatch(message));
});
