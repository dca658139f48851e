import fc from 'fast-check';
import {
  firstStorableProblem,
  MAX_JSON_DEPTH,
  storableInstantProblem,
  storableJsonProblem,
  storableNumberProblem,
  storableTextProblem,
} from './storable-json';

describe(storableTextProblem.name, () => {
  it.each(['plain', '', 'é 日本 🎉', '\ud83c\udf89 a well-formed pair', '\\u0000 is not NUL here'])(
    'accepts %p',
    (value) => expect(storableTextProblem(value)).toBeUndefined(),
  );

  it.each([
    ['a lone high surrogate', 'a\ud800b', /lone UTF-16 surrogate/],
    ['a lone high surrogate at the end', 'ab\udbff', /lone UTF-16 surrogate/],
    ['a lone low surrogate', '\udc00ab', /lone UTF-16 surrogate/],
    ['two highs in a row', '\ud800\ud800\udc00', /lone UTF-16 surrogate/],
    ['a NUL', 'a\u0000b', /NUL/],
  ])('refuses %s', (_, value, message) => expect(storableTextProblem(value)).toMatch(message));
});

describe(storableNumberProblem.name, () => {
  it.each([0, -0, 1.5, 1e-300, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 123456.789])(
    'accepts %p',
    (value) => expect(storableNumberProblem(value)).toBeUndefined(),
  );

  it.each([
    ['1e400 (Infinity)', Infinity],
    ['-1e400', -Infinity],
    ['2^53', 2 ** 53],
    ['2^53+1 as parsed', Number('9007199254740993')],
    ['-(2^53)', -(2 ** 53)],
    ['1e300', 1e300],
  ])('refuses %s', (_, value) => expect(storableNumberProblem(value)).toMatch(/2\^53/));

  it('refuses NaN, the mark the HTTP layer leaves for a number a double cannot hold as written', () =>
    expect(storableNumberProblem(NaN)).toMatch(/exactly as written/));
});

describe(storableJsonProblem.name, () => {
  it('accepts a payload with nested arrays and objects', () => {
    expect(
      storableJsonProblem({ orderId: 'ord_9001', lines: [{ sku: 'a', qty: 2 }], total: 149.9 }, 'payload'),
    ).toBeUndefined();
  });

  it.each([
    [{ some: { key: 'a\ud800b' } }, 'payload.some.key', /surrogate/],
    [{ some: { ['k\ud800']: 1 } }, 'payload.some.k\ud800', /^key .*surrogate/],
    [{ list: [1, 'x', { note: 'a\u0000b' }] }, 'payload.list[2].note', /NUL/],
    [{ ['\u0000']: true }, 'payload.\u0000', /^key .*NUL/],
    [{ big: Infinity }, 'payload.big', /2\^53/],
    [{ deep: [[Number('9007199254740993')]] }, 'payload.deep[0][0]', /2\^53/],
  ])('names the field at fault in %j', (value, field, message) => {
    expect(storableJsonProblem(value, 'payload')).toEqual({ field, message: expect.stringMatching(message) });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    const nested = (depth: number) => {
      let value: Record<string, unknown> = {};
      for (let i = 1; i < depth; i++) value = { child: value };
      return value;
    };
    expect(storableJsonProblem(nested(MAX_JSON_DEPTH), 'payload')).toBeUndefined();
    expect(storableJsonProblem(nested(MAX_JSON_DEPTH + 1), 'payload')?.message).toMatch(/deeper/);
  });

  it('judges a scalar as a leaf', () => {
    expect(storableJsonProblem('a\ud800', 'v')).toEqual({ field: 'v', message: expect.any(String) });
    expect(storableJsonProblem(null, 'v')).toBeUndefined();
  });

  it('gives the verdict of the walk that names the field, for any value (its quick check decides alone)', () => {
    // Strings and keys with NUL and lone surrogates, numbers beyond 2^53, nesting around a small depth limit.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('a\u0000', '\udc00b', 'ok'),
    );
    const leaf = fc.oneof(
      text,
      fc.double(),
      fc.integer(),
      fc.constantFrom(2 ** 53, -(2 ** 53), Infinity, NaN),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 3 }),
      object: fc.dictionary(text, tie('value'), { maxKeys: 3 }),
    }));
    let refused = 0;
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 4 }), (v, maxDepth) => {
        const expected = firstStorableProblem(v, 'payload', maxDepth);
        if (expected) refused++;
        expect(storableJsonProblem(v, 'payload', maxDepth)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
    // Both verdicts were tried.
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(1900);
  });
});

describe(storableInstantProblem.name, () => {
  it.each([
    '0001-01-01T00:00:00Z',
    '0001-01-01T00:00:00-01:00',
    '0048-02-29T12:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59+01:00',
    '0000-12-31T23:30:00-01:00',
  ])('accepts %s (its instant falls within 0001–9999)', (value) =>
    expect(storableInstantProblem(value)).toBeUndefined(),
  );

  it.each([
    '0000-06-15T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '+010000-01-01T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
  ])('refuses %s', (value) => expect(storableInstantProblem(value)).toMatch(/0001 to 9999/));

  it('refuses what does not parse', () => expect(storableInstantProblem('yesterday')).toMatch(/ISO-8601/));
});
