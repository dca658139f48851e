import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isRfc3339DateTime } from './is-rfc3339';

export const EARLIEST_TIMESTAMP = '0001-01-01T00:00:00.000Z';
export const LATEST_TIMESTAMP = '9999-12-31T23:59:59.999Z';

/**
 * True for a date-time whose UTC instant falls in years 0001–9999: the range where toISOString, RFC 3339 and
 * PostgreSQL's timestamptz input all agree (year 0000 does not exist for PostgreSQL, and year 10000 comes out
 * of toISOString as "+010000-…", which it refuses). Years 0001–0099 are read as written, never as 19xx.
 */
export function isInTimestampRange(value: string): boolean {
  const time = Date.parse(value);
  return (
    !Number.isNaN(time) && time >= Date.parse(EARLIEST_TIMESTAMP) && time <= Date.parse(LATEST_TIMESTAMP)
  );
}

/** For an RFC 3339 property: refuses instants outside years 0001–9999 (after applying the offset). */
export function IsInTimestampRange(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInTimestampRange',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must fall between ${EARLIEST_TIMESTAMP} and ${LATEST_TIMESTAMP} once its offset is applied`,
        ...options,
      },
      // A value that is not RFC 3339 at all is reported by that rule alone.
      validator: { validate: (value: unknown) => !isRfc3339DateTime(value) || isInTimestampRange(value) },
    });
}
