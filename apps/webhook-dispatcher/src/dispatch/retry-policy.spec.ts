import { parseRetrySchedule } from '@app/config';
import { maxAttempts, MAX_RETRY_AFTER_MS, nextRetryDelay, parseRetryAfter, withJitter } from './retry-policy';

describe(parseRetrySchedule.name, () => {
  it("reads Plain's default schedule as 12 delays, so 13 attempts", () => {
    const sut = parseRetrySchedule('10s,30s,5m,30m,1h,3h,6h,12h,1d,1d,1d,1d');
    expect(sut).toEqual([
      10_000, 30_000, 300_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
      86_400_000, 86_400_000, 86_400_000,
    ]);
    expect(maxAttempts(sut)).toBe(13);
  });

  it('accepts milliseconds and spaces around commas', () => {
    expect(parseRetrySchedule('500ms, 1s ,2m')).toEqual([500, 1000, 120_000]);
  });

  it.each([
    ['an empty item', '10s,,30s', /not a duration/],
    ['a unit-less number', '10', /not a duration/],
    ['an unknown unit', '10w', /not a duration/],
    ['a negative delay', '-5s', /not a duration/],
    ['a zero delay', '0s', /between/],
    ['a delay over 7 days', '8d', /between/],
  ])('refuses %s', (_, value, message) => expect(() => parseRetrySchedule(value)).toThrow(message));
});

describe(withJitter.name, () => {
  it('stays within ±20 % of the delay', () => {
    expect(withJitter(10_000, () => 0)).toBe(8_000);
    expect(withJitter(10_000, () => 0.5)).toBe(10_000);
    expect(withJitter(10_000, () => 0.999999)).toBe(12_000);
  });

  it('spreads retries that would otherwise fire together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => withJitter(60_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(48_000);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(72_000);
  });
});

describe(nextRetryDelay.name, () => {
  const schedule = [1000, 30_000, 300_000];
  const middle = () => 0.5;

  it('after attempt n waits delay n of the schedule', () => {
    expect(nextRetryDelay(schedule, 1, undefined, middle)).toBe(1000);
    expect(nextRetryDelay(schedule, 3, undefined, middle)).toBe(300_000);
  });

  it('gives up once every delay is used: the last attempt is number schedule.length + 1', () => {
    expect(nextRetryDelay(schedule, 4, undefined, middle)).toBeUndefined();
  });

  it("never retries sooner than the receiver's Retry-After, and keeps the schedule when that is later", () => {
    expect(nextRetryDelay(schedule, 1, 120_000, middle)).toBe(120_000);
    expect(nextRetryDelay(schedule, 3, 5_000, middle)).toBe(300_000);
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
  });

  it('caps very long waits at one day, and ignores what it cannot read', () => {
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
