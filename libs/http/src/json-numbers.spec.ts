import fc from 'fast-check';
import { inexactMarkersToNaN, isExactDouble, isShortDecimal, markInexactNumbers } from './json-numbers';

const parse = (text: string): unknown => inexactMarkersToNaN(JSON.parse(markInexactNumbers(text)));

describe(isExactDouble.name, () => {
  it.each([
    '0',
    '-0',
    '1',
    '-1.5',
    '0.1',
    '1e300',
    '1.5E-300',
    '9007199254740991',
    '5e-324',
    '123456789012345',
    '1.7976931348623157e308',
    '100e-2',
    '0.000000000000000000001',
  ])('holds %s exactly', (token) => expect(isExactDouble(token)).toBe(true));

  it.each([
    '1e400',
    '-1e400',
    '1e-400',
    '9007199254740993',
    '12345678901234567890123',
    '0.1000000000000000055511151231257827',
    '2e-324',
  ])('does not hold %s exactly', (token) => expect(isExactDouble(token)).toBe(false));

  it('holds every double written in its shortest form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(isExactDouble(JSON.stringify(value))).toBe(true);
      }),
    );
  });
});

describe(isShortDecimal.name, () => {
  const short = (token: string) => isShortDecimal(`[${token}]`, 1, token.length + 1);

  it('takes a number of at most 15 digits without an exponent as exact, as isExactDouble does', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const token = fc
      .tuple(fc.boolean(), digits(1, 15), digits(0, 14))
      .filter(([, integer, fraction]) => integer.length + fraction.length <= 15)
      .map(([minus, integer, fraction]) => `${minus ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`);
    fc.assert(
      fc.property(token, (t) => {
        expect(short(t)).toBe(true);
        expect(isExactDouble(t)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    '1234567890123456',
    '0.123456789012345',
    '1e5',
    '1E5',
    '-',
    '1.',
    '.5',
    '1.2.3',
    '--1',
    '1-2',
    '+1',
  ])('leaves %s to isExactDouble', (token) => expect(short(token)).toBe(false));
});

describe(markInexactNumbers.name, () => {
  it('returns the very same text when no number can be inexact', () => {
    const text = '{"a":1,"b":[1.5,-2e10],"c":"1e-400 in a string"}';
    expect(markInexactNumbers(text)).toBe(text);
  });

  it('turns each inexact number into NaN where it stands, and leaves the rest as parsed', () => {
    expect(parse('{"n":1e-400,"m":[1,9007199254740993,"12345678901234567890"],"k":1e300}')).toEqual({
      n: NaN,
      m: [1, NaN, '12345678901234567890'],
      k: 1e300,
    });
  });

  it('does not read digits inside strings, escaped quotes included', () => {
    const text = '{"s":"a\\"12345678901234567890","n":2}';
    expect(parse(text)).toEqual({ s: 'a"12345678901234567890', n: 2 });
  });

  it('marks a top-level number', () => {
    expect(parse('1e-400')).toBeNaN();
  });
});
