import type { ValidationOptions } from 'class-validator';
import { storableInstantProblem } from '@app/contracts';
import { problemDecorator } from './problem-decorator';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

const FORMAT_MESSAGE = 'must be an RFC 3339 date-time with offset (e.g. 2026-04-18T10:00:00Z)';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Proleptic Gregorian, by arithmetic: Date.UTC(y, …) would read the years 0–99 as 1900–1999.
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Why a value is not an RFC 3339 date-time with an offset, on a real calendar date, whose instant the read
 * model stores (years 0001–9999 once the offset is applied), or undefined when it is. 2026-02-30, a bare date,
 * "yesterday" and epoch numbers are all refused (Date.parse would accept some of them).
 */
export function rfc3339Problem(value: unknown): string | undefined {
  if (typeof value !== 'string') return FORMAT_MESSAGE;
  const m = RFC3339.exec(value);
  if (!m) return FORMAT_MESSAGE;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return FORMAT_MESSAGE;
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > daysInMonth) return FORMAT_MESSAGE;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return FORMAT_MESSAGE;
  return storableInstantProblem(value);
}

export function isRfc3339DateTime(value: unknown): value is string {
  return rfc3339Problem(value) === undefined;
}

/** Normalises an RFC 3339 date-time to UTC ISO-8601 with milliseconds. */
export function toUtcIso(value: string): string {
  return new Date(value).toISOString();
}

export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return problemDecorator('isRfc3339DateTime', rfc3339Problem, options);
}
