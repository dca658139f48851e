/**
 * The rows of webhook_deliveries and webhook_attempts as the database returns them, and their one mapper each
 * to the delivery log's shapes (`DeliveryResponse`, `AttemptResponse`). Only the delivery repositories import
 * this file.
 */
import type { WorkspaceId } from '@app/contracts';
import type { AttemptOutcome } from './attempt-result';
import type { WebhookEventType, WebhookVersion } from '../shared';
import type { DeliveryStatus } from './delivery';
import type { AttemptResponse, DeliveryResponse } from './dto/delivery.response';

export interface DeliveryRow {
  id: string;
  workspace_id: WorkspaceId;
  target_id: string;
  event_id: string;
  event_type: WebhookEventType;
  customer_id: string | null;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptRow {
  id: string;
  attempt_number: number;
  manual: boolean;
  target_version: WebhookVersion;
  started_at: Date;
  duration_ms: number | null;
  outcome: AttemptOutcome | 'lost' | null;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
  request_headers: Record<string, string> | null;
  request_body: string | null;
}

/** The columns a DeliveryRow is read from. */
export const DELIVERY_COLUMNS = `id, workspace_id, target_id, event_id, event_type, customer_id, status, attempt_count,
  next_attempt_at, last_attempt_at, last_status_code, last_error, created_at, updated_at`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toDeliveryView(row: DeliveryRow): DeliveryResponse {
  return {
    id: row.id,
    targetId: row.target_id,
    eventId: row.event_id,
    eventType: row.event_type,
    customerId: row.customer_id,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastAttemptAt: iso(row.last_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toAttemptView(row: AttemptRow): AttemptResponse {
  return {
    id: row.id,
    number: row.attempt_number,
    manual: row.manual,
    targetVersion: row.target_version,
    timestamp: row.started_at.toISOString(),
    durationMs: row.duration_ms,
    outcome: row.outcome ?? 'in_progress',
    statusCode: row.status_code,
    error: row.error,
    responseBody: row.response_body,
    responseHeaders: row.response_headers,
    request:
      row.request_headers && row.request_body !== null
        ? { headers: row.request_headers, body: row.request_body }
        : null,
  };
}
