import type { ClassifiedAttempt, NextDeliveryState } from '../delivery';
import { nextRetryDelay } from './retry-policy';

export interface AttemptContext {
  /** A retry asked for through the API: it never moves the schedule. */
  manual: boolean;
  /** For a manual retry of a delivery that was waiting: when its scheduled attempt was due. */
  resumeAt: Date | null;
  /** Scheduled attempts made so far, this one included. */
  scheduledAttemptCount: number;
}

/**
 * Where a delivery goes after an attempt: a 2xx ends it; 410 Gone ends it for good (and disables the target);
 * a failed scheduled attempt waits for the next delay of the schedule, or fails the delivery when none is
 * left; a failed manual attempt puts the delivery back where it was (waiting for its next scheduled attempt,
 * or failed).
 */
export function nextDeliveryState(
  context: AttemptContext,
  attempt: Pick<ClassifiedAttempt, 'outcome' | 'retryAfterMs'>,
  schedule: readonly number[],
  random?: () => number,
): NextDeliveryState {
  if (attempt.outcome === 'success') return { status: 'succeeded' };
  if (attempt.outcome === 'gone') return { status: 'failed' };
  if (context.manual)
    return context.resumeAt ? { status: 'pending', at: context.resumeAt } : { status: 'failed' };
  const delayMs = nextRetryDelay(schedule, context.scheduledAttemptCount, attempt.retryAfterMs, random);
  return delayMs === undefined ? { status: 'failed' } : { status: 'pending', delayMs };
}
