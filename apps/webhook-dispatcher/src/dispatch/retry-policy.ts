/** ±20 %: replicas and targets that failed together do not all retry in the same second. */
export const JITTER_RATIO = 0.2;
/** A Retry-After longer than this is capped: the schedule, not the receiver, bounds a delivery's life. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export function withJitter(delayMs: number, random: () => number = Math.random): number {
  return Math.round(delayMs * (1 - JITTER_RATIO + 2 * JITTER_RATIO * random()));
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.min(Math.max(date - now, 0), MAX_RETRY_AFTER_MS);
}

/**
 * The wait before the next scheduled attempt, or undefined when the schedule is used up. `attemptsMade`
 * counts the scheduled attempts so far (the failed one included): after attempt n comes delay n of the
 * schedule. A receiver's Retry-After is honoured by never retrying sooner than it asked.
 */
export function nextRetryDelay(
  schedule: readonly number[],
  attemptsMade: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  const delay = schedule[attemptsMade - 1];
  if (delay === undefined) return undefined;
  return Math.max(withJitter(delay, random), retryAfterMs ?? 0);
}

export function maxAttempts(schedule: readonly number[]): number {
  return schedule.length + 1;
}
