import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../sql';
import type { WebhookEventType, WebhookVersion } from './webhook-versions';
import type { DisabledReason, NewWebhookTarget, WebhookTarget, WebhookTargetChanges } from './webhook-target';

interface TargetRow {
  id: string;
  workspace_id: string;
  url: string;
  version: WebhookVersion;
  event_types: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  disabled_reason: DisabledReason | null;
  previous_secret_expires_at: Date | null;
  last_success_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, workspace_id, url, version, event_types, description, enabled, disabled_reason,
  CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at,
  last_success_at, failing_since, created_at, updated_at`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toTarget(row: TargetRow): WebhookTarget {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    version: row.version,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt: iso(row.previous_secret_expires_at),
    lastSuccessAt: iso(row.last_success_at),
    failingSince: iso(row.failing_since),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Webhook targets of one workspace. Secrets go in sealed and never come out of this repository. */
@Injectable()
export class WebhookTargetsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(target: NewWebhookTarget): Promise<WebhookTarget> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `INSERT INTO webhook_targets (id, workspace_id, url, version, event_types, description, enabled, secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        target.id,
        target.workspaceId,
        target.url,
        target.version,
        target.eventTypes,
        target.description,
        target.enabled,
        target.secretEncrypted,
      ],
    );
    return toTarget(rows[0]);
  }

  async find(workspaceId: string, targetId: string): Promise<WebhookTarget | undefined> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `SELECT ${COLUMNS} FROM webhook_targets WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, targetId],
    );
    return rows[0] ? toTarget(rows[0]) : undefined;
  }

  /** Newest first; `beforeId` is the last id of the previous page. */
  async list(workspaceId: string, limit: number, beforeId?: string): Promise<WebhookTarget[]> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `SELECT ${COLUMNS} FROM webhook_targets
       WHERE workspace_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [workspaceId, beforeId ?? null, limit],
    );
    return rows.map(toTarget);
  }

  /** Enabling a target clears why it was disabled and restarts its 5-day failure clock. */
  async update(
    workspaceId: string,
    targetId: string,
    changes: WebhookTargetChanges,
  ): Promise<WebhookTarget | undefined> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `UPDATE webhook_targets SET
         url = COALESCE($3, url),
         version = COALESCE($4, version),
         event_types = COALESCE($5, event_types),
         description = CASE WHEN $6 THEN $7 ELSE description END,
         enabled = COALESCE($8, enabled),
         disabled_reason = CASE WHEN $8 THEN NULL ELSE disabled_reason END,
         failing_since = CASE WHEN $8 AND NOT enabled THEN NULL ELSE failing_since END,
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        workspaceId,
        targetId,
        changes.url ?? null,
        changes.version ?? null,
        changes.eventTypes ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.enabled ?? null,
      ],
    );
    return rows[0] ? toTarget(rows[0]) : undefined;
  }

  /** Deletes the target with its deliveries and their attempts. */
  async delete(workspaceId: string, targetId: string): Promise<WebhookTarget | undefined> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `DELETE FROM webhook_targets WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [workspaceId, targetId],
    );
    return rows[0] ? toTarget(rows[0]) : undefined;
  }

  /** The current secret becomes the previous one, valid for `graceMs` more; the new one becomes current. */
  async rotateSecret(
    workspaceId: string,
    targetId: string,
    secretEncrypted: Buffer,
    graceMs: number,
  ): Promise<WebhookTarget | undefined> {
    const rows = await queryRows<TargetRow>(
      this.db,
      `UPDATE webhook_targets SET
         previous_secret_encrypted = secret_encrypted,
         previous_secret_expires_at = now() + $4 * interval '1 millisecond',
         secret_encrypted = $3,
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [workspaceId, targetId, secretEncrypted, graceMs],
    );
    return rows[0] ? toTarget(rows[0]) : undefined;
  }
}
