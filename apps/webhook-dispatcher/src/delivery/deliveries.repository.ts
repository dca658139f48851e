import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../sql';
import type { DeliveryStatus } from './delivery';
import type { AttemptRow, DeliveryRow } from './delivery-rows';

const DELIVERY_COLUMNS = `id, workspace_id, target_id, event_id, event_type, status, attempt_count, next_attempt_at,
  last_attempt_at, last_status_code, last_error, created_at, updated_at`;

/** The delivery log of one workspace, and manual retries. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first; `beforeId` is the last id of the previous page. */
  list(
    workspaceId: string,
    targetId: string,
    options: { status?: DeliveryStatus; limit: number; beforeId?: string },
  ): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      this.db,
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE workspace_id = $1 AND target_id = $2 AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [workspaceId, targetId, options.status ?? null, options.beforeId ?? null, options.limit],
    );
  }

  async find(workspaceId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, deliveryId],
    );
    return rows[0];
  }

  /** Oldest first. */
  attempts(workspaceId: string, deliveryId: string): Promise<AttemptRow[]> {
    return queryRows<AttemptRow>(
      this.db,
      `SELECT a.id, a.attempt_number, a.manual, a.target_version, a.started_at, a.duration_ms, a.outcome,
              a.status_code, a.error, a.response_body
       FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.workspace_id = $1 AND a.delivery_id = $2
       ORDER BY a.attempt_number`,
      [workspaceId, deliveryId],
    );
  }

  /**
   * Makes the delivery due now for one manual attempt. A delivery that was waiting remembers when its next
   * scheduled attempt was due, to go back to it if the manual one fails. Not while an attempt is in flight;
   * asking twice before the attempt starts changes nothing.
   */
  async requestManualAttempt(workspaceId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `UPDATE webhook_deliveries SET
         resume_at = CASE WHEN manual_retry THEN resume_at WHEN status = 'pending' THEN next_attempt_at END,
         manual_retry = true,
         status = 'pending',
         next_attempt_at = now(),
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 AND status <> 'in_progress'
       RETURNING ${DELIVERY_COLUMNS}`,
      [workspaceId, deliveryId],
    );
    return rows[0];
  }
}
