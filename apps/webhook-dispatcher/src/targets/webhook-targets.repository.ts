import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import {
  findInWorkspace,
  queryFirst,
  queryRows,
  type WebhookEventType,
  type WebhookVersion,
} from '../shared';
import type { DisabledReason, NewWebhookTarget, WebhookTarget, WebhookTargetChanges } from './webhook-target';

interface TargetRow {
  id: string;
  workspace_id: WorkspaceId;
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

/** When the last secret rotated out stops signing: the latest expiry among those still valid. */
const PREVIOUS_SECRET_EXPIRES_AT = `(SELECT max(s.expires_at) FROM webhook_target_retired_secrets s
  WHERE s.target_id = webhook_targets.id AND s.expires_at > now())`;

const columns = (
  previousSecretExpiresAt: string,
) => `id, workspace_id, url, version, event_types, description,
  enabled, disabled_reason, ${previousSecretExpiresAt} AS previous_secret_expires_at,
  last_success_at, failing_since, created_at, updated_at`;

const COLUMNS = columns(PREVIOUS_SECRET_EXPIRES_AT);
const TARGETS = { table: 'webhook_targets', columns: COLUMNS };

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

  async find(workspaceId: WorkspaceId, targetId: string): Promise<WebhookTarget | undefined> {
    return findInWorkspace(this.db, TARGETS, workspaceId, targetId, toTarget);
  }

  /** Newest first; `beforeId` is the last id of the previous page. */
  async list(workspaceId: WorkspaceId, limit: number, beforeId?: string): Promise<WebhookTarget[]> {
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
    workspaceId: WorkspaceId,
    targetId: string,
    changes: WebhookTargetChanges,
  ): Promise<WebhookTarget | undefined> {
    return queryFirst(
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
      toTarget,
    );
  }

  /** Deletes the target with its deliveries and their attempts. */
  async delete(workspaceId: WorkspaceId, targetId: string): Promise<WebhookTarget | undefined> {
    return queryFirst(
      this.db,
      `DELETE FROM webhook_targets WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [workspaceId, targetId],
      toTarget,
    );
  }

  /**
   * The current secret is rotated out, valid for `graceMs` more, and the new one becomes current. Secrets rotated
   * out earlier keep their own expiry; those already expired are dropped. One statement: the row lock taken by
   * `rotating` makes concurrent rotations queue, each retiring the secret the previous one installed.
   */
  async rotateSecret(
    workspaceId: WorkspaceId,
    targetId: string,
    secretEncrypted: Buffer,
    graceMs: number,
  ): Promise<WebhookTarget | undefined> {
    return queryFirst(
      this.db,
      `WITH rotating AS (
         SELECT id AS target_id, secret_encrypted AS retiring
         FROM webhook_targets WHERE workspace_id = $1 AND id = $2 FOR NO KEY UPDATE
       ), expired AS (
         DELETE FROM webhook_target_retired_secrets s USING rotating
         WHERE s.target_id = rotating.target_id AND s.expires_at <= now()
       ), retired AS (
         INSERT INTO webhook_target_retired_secrets (target_id, secret_encrypted, rotated_at, expires_at)
         SELECT target_id, retiring, now(), now() + $4 * interval '1 millisecond' FROM rotating
         RETURNING expires_at
       )
       UPDATE webhook_targets SET secret_encrypted = $3, updated_at = now()
       FROM rotating WHERE webhook_targets.id = rotating.target_id
       RETURNING ${columns('(SELECT expires_at FROM retired)')}`,
      [workspaceId, targetId, secretEncrypted, graceMs],
      toTarget,
    );
  }
}
