import { registerDecorator, type ValidationOptions } from 'class-validator';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * True for an RFC 3339 date-time with an offset on a real calendar date: 2026-02-30, a bare date, "yesterday"
 * and epoch numbers are all refused (Date.parse would accept some of them).
 */
export function isRfc3339DateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** Normalises an RFC 3339 date-time to UTC ISO-8601 with milliseconds. */
export function toUtcIso(value: string): string {
  return new Date(value).toISOString();
}

export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be an RFC 3339 date-time with offset (e.g. 2026-04-18T10:00:00Z)',
        ...options,
      },
      validator: { validate: isRfc3339DateTime },
    });
}
