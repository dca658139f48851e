import { isInTimestampRange } from './timestamp-range';

describe(isInTimestampRange.name, () => {
  it.each([
    '0001-01-01T00:00:00Z',
    '0050-06-01T12:00:00Z',
    '0001-01-01T00:30:00-01:00',
    '2026-04-18T10:00:00+02:00',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59+01:00',
  ])('accepts %s', (value) => expect(isInTimestampRange(value)).toBe(true));

  it.each([
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['year 0001 that is year 0000 once the offset is applied', '0001-01-01T00:30:00+01:00'],
    ['year 9999 that is year 10000 once the offset is applied', '9999-12-31T23:59:59-01:00'],
  ])('refuses %s', (_, value) => expect(isInTimestampRange(value)).toBe(false));
});
