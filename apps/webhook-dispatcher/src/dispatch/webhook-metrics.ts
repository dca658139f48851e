import { BoundedLabel } from '@app/observability/bounded-label';
import { counter, gauge, histogram } from '@app/observability/metrics';

export const attemptsTotal = counter('webhook_attempts_total', 'Webhook delivery attempts, by outcome', [
  'outcome',
]);

export const attemptSeconds = histogram(
  'webhook_attempt_duration_seconds',
  'Time from sending a webhook to the end of its response (or failure)',
  ['outcome'],
  [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
);

export const deliveriesPending = gauge(
  'webhook_deliveries_pending',
  'Deliveries not finished yet (waiting for an attempt or in flight), all targets',
);

export const attemptsInFlight = gauge('webhook_attempts_in_flight', 'Attempts being sent by this process');

/**
 * Targets with their own `target_id` series, per process; attempts to any further target are counted under
 * target_id="other", so a workspace creating targets cannot grow the series without bound.
 */
export const MAX_TARGET_SERIES = 100;
const targetLabel = new BoundedLabel(MAX_TARGET_SERIES);

const targetAttempts = counter(
  'webhook_target_attempts_total',
  `Webhook attempts per target (the first ${MAX_TARGET_SERIES} targets; the rest as "other"), by result`,
  ['target_id', 'result'],
);

/** One finished attempt: result is "success" for a 2xx, "failure" for anything else. */
export function countTargetAttempt(targetId: string, success: boolean): void {
  targetAttempts.inc({ target_id: targetLabel.valueOf(targetId), result: success ? 'success' : 'failure' });
}
