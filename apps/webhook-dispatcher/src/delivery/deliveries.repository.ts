import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import { findInWorkspace, queryFirst, queryRows, type WebhookEventType } from '../shared';
import type { DeliveryStatus } from './delivery';
import {
  type AttemptRow,
  DELIVERY_COLUMNS,
  type DeliveryRow,
  toAttemptView,
  toDeliveryView,
} from './delivery-rows';
import type { AttemptResponse, DeliveryResponse } from './dto/delivery.response';

const DELIVERIES = { table: 'webhook_deliveries', columns: DELIVERY_COLUMNS };

/** Which deliveries of a workspace to list; every field left out matches all. */
export interface DeliveryFilter {
  targetId?: string;
  status?: DeliveryStatus;
  eventType?: WebhookEventType;
  customerId?: string;
  eventId?: string;
}

/** The delivery log of one workspace, and manual retries. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first; `beforeId` is the last id of the previous page. */
  async list(
    workspaceId: WorkspaceId,
    filter: DeliveryFilter,
    page: { limit: number; beforeId?: string },
  ): Promise<DeliveryResponse[]> {
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE workspace_id = $1 AND ($2::text IS NULL OR target_id = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR event_type = $4) AND ($5::text IS NULL OR customer_id = $5)
         AND ($6::text IS NULL OR event_id = $6) AND ($7::text IS NULL OR id < $7)
       ORDER BY id DESC LIMIT $8`,
      [
        workspaceId,
        filter.targetId ?? null,
        filter.status ?? null,
        filter.eventType ?? null,
        filter.customerId ?? null,
        filter.eventId ?? null,
        page.beforeId ?? null,
        page.limit,
      ],
    );
    return rows.map(toDeliveryView);
  }

  async find(workspaceId: WorkspaceId, deliveryId: string): Promise<DeliveryResponse | undefined> {
    return findInWorkspace(this.db, DELIVERIES, workspaceId, deliveryId, toDeliveryView);
  }

  /** Oldest first. */
  async attempts(workspaceId: WorkspaceId, deliveryId: string): Promise<AttemptResponse[]> {
    const rows = await queryRows<AttemptRow>(
      this.db,
      `SELECT a.id, a.attempt_number, a.manual, a.target_version, a.started_at, a.duration_ms, a.outcome,
              a.status_code, a.error, a.response_body, a.response_headers, a.request_headers, a.request_body
       FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.workspace_id = $1 AND a.delivery_id = $2
       ORDER BY a.attempt_number`,
      [workspaceId, deliveryId],
    );
    return rows.map(toAttemptView);
  }

  /**
   * Makes the delivery due now for one manual attempt. A delivery that was waiting remembers when its next
   * scheduled attempt was due, to go back to it if the manual one fails. Not while an attempt is in flight;
   * asking twice before the attempt starts changes nothing.
   */
  async requestManualAttempt(
    workspaceId: WorkspaceId,
    deliveryId: string,
  ): Promise<DeliveryResponse | undefined> {
    return queryFirst(
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
      toDeliveryView,
    );
  }

  /**
   * Every failed delivery of the target created since `since` gets one manual attempt (numbered after its
   * last, outside the schedule: if it fails too, the delivery stays failed). Returns how many.
   */
  async recoverFailed(workspaceId: WorkspaceId, targetId: string, since: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `UPDATE webhook_deliveries SET
         manual_retry = true, resume_at = NULL, status = 'pending', next_attempt_at = now(), updated_at = now()
       WHERE workspace_id = $1 AND target_id = $2 AND status = 'failed' AND created_at >= $3
       RETURNING id`,
      [workspaceId, targetId, since],
    );
    return rows.length;
  }

  /** The target's attempts that started in the last 24 hours, and how many of them succeeded. */
  async stats24h(
    workspaceId: WorkspaceId,
    targetId: string,
  ): Promise<{ attempts: number; succeeded: number }> {
    const rows = await queryRows<{ attempts: string; succeeded: string }>(
      this.db,
      `SELECT count(*) AS attempts, count(*) FILTER (WHERE a.outcome = 'success') AS succeeded
       FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
       WHERE d.workspace_id = $1 AND d.target_id = $2 AND d.last_attempt_at >= now() - interval '24 hours'
         AND a.started_at >= now() - interval '24 hours'`,
      [workspaceId, targetId],
    );
    return { attempts: Number(rows[0].attempts), succeeded: Number(rows[0].succeeded) };
  }
}
