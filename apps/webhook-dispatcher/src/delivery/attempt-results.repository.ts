import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClassifiedAttempt } from '../dispatch/attempt-outcome';
import type { NextDeliveryState } from '../dispatch/delivery-transition';
import { queryRows } from '../sql';
import type { ClaimedAttempt } from './delivery-claims.repository';

/** A target that has not succeeded once in this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

/** Records how an attempt ended, moves its delivery on, and keeps the target's health up to date. */
@Injectable()
export class AttemptResultsRepository {
  constructor(private readonly db: DataSource) {}

  /** False when the lease was lost meanwhile (the attempt was given up as lost and retried elsewhere). */
  complete(claim: ClaimedAttempt, attempt: ClassifiedAttempt, next: NextDeliveryState): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const moved = await queryRows(
        em,
        `UPDATE webhook_deliveries SET
           status = $3,
           next_attempt_at = CASE WHEN $3 = 'pending'
             THEN COALESCE($4::timestamptz, now() + $5 * interval '1 millisecond') END,
           manual_retry = false,
           resume_at = NULL,
           lease_token = NULL,
           lease_expires_at = NULL,
           last_status_code = $6,
           last_error = $7,
           updated_at = now()
         WHERE id = $1 AND workspace_id = $8 AND lease_token = $2 AND status = 'in_progress'
         RETURNING id`,
        [
          claim.deliveryId,
          claim.leaseToken,
          next.status,
          'at' in next ? next.at : null,
          'delayMs' in next ? next.delayMs : 0,
          attempt.statusCode,
          attempt.error,
          claim.workspaceId,
        ],
      );
      if (moved.length === 0) return false;
      await em.query(
        `UPDATE webhook_attempts SET duration_ms = $2, outcome = $3, status_code = $4, error = $5, response_body = $6
         WHERE id = $1`,
        [
          claim.attemptId,
          attempt.durationMs,
          attempt.outcome,
          attempt.statusCode,
          attempt.error,
          attempt.responseBody,
        ],
      );
      await this.updateTargetHealth(em, claim, attempt);
      return true;
    });
  }

  /** Writes only when something changes: a busy healthy target is not rewritten on every attempt. */
  private async updateTargetHealth(em: EntityManager, claim: ClaimedAttempt, attempt: ClassifiedAttempt) {
    const scope = [claim.targetId, claim.workspaceId];
    if (attempt.outcome === 'success') {
      await em.query(
        `UPDATE webhook_targets SET last_success_at = now(), failing_since = NULL
         WHERE id = $1 AND workspace_id = $2
           AND (failing_since IS NOT NULL OR last_success_at IS NULL OR last_success_at < now() - interval '1 minute')`,
        scope,
      );
    } else if (attempt.outcome === 'gone') {
      await em.query(
        `UPDATE webhook_targets SET enabled = false, disabled_reason = 'gone', updated_at = now()
         WHERE id = $1 AND workspace_id = $2 AND enabled`,
        scope,
      );
    } else {
      // The 5-day clock starts at the first failure after a success (or ever); only a success stops it.
      const failedTooLong = `failing_since < now() - $3 * interval '1 millisecond'`;
      await em.query(
        `UPDATE webhook_targets SET
           failing_since = COALESCE(failing_since, now()),
           enabled = NOT COALESCE(${failedTooLong}, false),
           disabled_reason = CASE WHEN ${failedTooLong} THEN 'failing' ELSE disabled_reason END,
           updated_at = CASE WHEN ${failedTooLong} THEN now() ELSE updated_at END
         WHERE id = $1 AND workspace_id = $2 AND enabled AND (failing_since IS NULL OR ${failedTooLong})`,
        [...scope, DISABLE_AFTER_FAILING_MS],
      );
    }
  }
}
