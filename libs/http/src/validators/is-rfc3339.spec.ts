import { isRfc3339DateTime, rfc3339Problem, toUtcIso } from './is-rfc3339';

describe(isRfc3339DateTime.name, () => {
  it.each([
    '2026-04-18T10:00:00Z',
    '2026-04-18T10:00:00.123Z',
    '2026-04-18t10:00:00+02:00',
    '2024-02-29T23:59:59-05:30',
    '0001-01-01T00:00:00Z',
    '0004-02-29T00:00:00Z',
    '0400-02-29T00:00:00Z',
    '9999-12-31T23:59:59.999+01:00',
  ])('accepts %s', (value) => expect(isRfc3339DateTime(value)).toBe(true));

  it.each([
    ['an impossible calendar date', '2026-02-30T00:00:00Z'],
    ['a non-leap 29 February', '2025-02-29T00:00:00Z'],
    ['a bare date', '2026-04-18'],
    ['a word', 'yesterday'],
    ['an epoch number as string', '1713434400'],
    ['a date-time without offset', '2026-04-18T10:00:00'],
    ['hour 24', '2026-04-18T24:00:00Z'],
    ['an offset beyond 23 hours', '2026-04-18T10:00:00+24:00'],
    ['a space instead of T', '2026-04-18 10:00:00Z'],
    ['29 February of year 100 (not leap, whatever Date.UTC says of 1900+)', '0100-02-29T00:00:00Z'],
    ['29 February of year 3 (not leap)', '0003-02-29T00:00:00Z'],
    ['year 0000', '0000-06-15T00:00:00Z'],
    ['year 0001 pushed into year 0 by its offset', '0001-01-01T00:00:00+01:00'],
    ['year 9999 pushed into year 10000 by its offset', '9999-12-31T23:59:59-01:00'],
  ])('refuses %s', (_, value) => expect(isRfc3339DateTime(value)).toBe(false));

  it('refuses non-strings', () => {
    expect(isRfc3339DateTime(1713434400)).toBe(false);
    expect(isRfc3339DateTime(null)).toBe(false);
  });

  it('normalises an offset date-time to UTC with milliseconds', () => {
    expect(toUtcIso('2026-04-18T12:00:00+02:00')).toBe('2026-04-18T10:00:00.000Z');
  });

  it('keeps the years 0001–0099 as written (never read as 19xx)', () => {
    expect(toUtcIso('0042-03-04T05:06:07.089+01:00')).toBe('0042-03-04T04:06:07.089Z');
  });

  it('says why a year is refused', () => {
    expect(rfc3339Problem('0000-06-15T00:00:00Z')).toMatch(/0001 to 9999/);
    expect(rfc3339Problem('2026-02-30T00:00:00Z')).toMatch(/RFC 3339/);
  });
});
