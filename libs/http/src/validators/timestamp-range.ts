import { storableInstantProblem } from '@app/contracts';

/**
 * True for a date-time whose UTC instant falls in years 0001–9999: the contract's range, where toISOString,
 * RFC 3339 and PostgreSQL's timestamptz input all agree. The rule itself is storableInstantProblem's (the one
 * the gateway applies to occurredAt and IsRfc3339DateTime applies to every date-time query parameter); this is
 * its boolean form for values read back from cursors and Last-Event-ID.
 */
export function isInTimestampRange(value: string): boolean {
  return storableInstantProblem(value) === undefined;
}
