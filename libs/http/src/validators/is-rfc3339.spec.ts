import { isRfc3339DateTime, toUtcIso } from './is-rfc3339';

describe(isRfc3339DateTime.name, () => {
  it.each([
    '2026-04-18T10:00:00Z',
    '2026-04-18T10:00:00.123Z',
    '2026-04-18t10:00:00+02:00',
    '2024-02-29T23:59:59-05:30',
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
  ])('refuses %s', (_, value) => expect(isRfc3339DateTime(value)).toBe(false));

  it('refuses non-strings', () => {
    expect(isRfc3339DateTime(1713434400)).toBe(false);
    expect(isRfc3339DateTime(null)).toBe(false);
  });

  it('normalises an offset date-time to UTC with milliseconds', () => {
    expect(toUtcIso('2026-04-18T12:00:00+02:00')).toBe('2026-04-18T10:00:00.000Z');
  });
});
