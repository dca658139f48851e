import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newId, type CustomerChangeMessage, type WorkspaceId } from '@app/contracts';
import { queryPrepared } from '@app/database';
import { queryRows, type WebhookEventType, type WebhookVersion } from '../shared';
import { CLAIM_SQL, REAP_SQL } from './delivery-claims.sql';

/** One attempt a worker has claimed: everything needed to render, sign, send and record it. */
export interface ClaimedAttempt {
  deliveryId: string;
  workspaceId: WorkspaceId;
  targetId: string;
  eventType: WebhookEventType;
  attemptId: string;
  attemptNumber: number;
  manual: boolean;
  resumeAt: Date | null;
  scheduledAttemptCount: number;
  leaseToken: string;
  startedAt: Date;
  /** The trace of the change that caused the delivery, when it came with one. */
  traceparent: string | null;
  target: {
    url: string;
    version: WebhookVersion;
    secretEncrypted: Buffer;
    /** The secrets rotated out less than their grace period ago, most recently rotated out first. */
    retiredSecretsEncrypted: Buffer[];
  };
  event: CustomerChangeMessage;
}

/** A row of the claim's `numbered` CTE. */
export interface ClaimRow {
  id: string;
  attempt_id: string;
  workspace_id: WorkspaceId;
  target_id: string;
  event_type: WebhookEventType;
  attempt_count: number;
  scheduled_attempt_count: number;
  manual_retry: boolean;
  resume_at: Date | null;
  traceparent: string | null;
  url: string;
  version: WebhookVersion;
  secret_encrypted: Buffer;
  retired_secrets_encrypted: Buffer[];
  message: CustomerChangeMessage;
}

export interface ClaimOptions {
  limit: number;
  perTarget: number;
  leaseMs: number;
}

/**
 * The work queue, in PostgreSQL. Its methods are cross-tenant by nature (`…AcrossWorkspaces`: a worker serves
 * every workspace); each claimed attempt carries its workspace, and everything done with it afterwards
 * (recording its result) is scoped by it.
 */
@Injectable()
export class DeliveryClaimsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims due deliveries (at most `perTarget` in flight per target across all replicas, targets with the
   * oldest due work first) and opens their attempt rows, numbered after the last, in one statement.
   */
  async claimDueAcrossWorkspaces(options: ClaimOptions): Promise<ClaimedAttempt[]> {
    const claim = claimParameters(options);
    const rows = await queryPrepared<ClaimRow>(this.db, CLAIM_SQL, claim.values);
    return rows.map(claim.toAttempt);
  }

  /**
   * Gives back the deliveries of workers that died mid-attempt (their lease ran out): the open attempt is
   * recorded as lost, and the delivery is due again at once, or failed when that was its last attempt.
   */
  async reapExpiredAcrossWorkspaces(maxAttempts: number): Promise<number> {
    const rows = await queryRows<{ id: string }>(this.db, REAP_SQL, [maxAttempts]);
    return rows.length;
  }

  async countUnfinishedAcrossWorkspaces(): Promise<number> {
    const rows = await queryRows<{ n: string }>(
      this.db,
      `SELECT count(*) AS n FROM webhook_deliveries WHERE status IN ('pending', 'in_progress')`,
    );
    return Number(rows[0].n);
  }
}

/**
 * A claim's six parameters (claimCtes), with a fresh lease token, the attempts' start and an attempt id for each
 * row it may take; `toAttempt` reads a claimed row back.
 */
export function claimParameters(options: ClaimOptions): {
  values: unknown[];
  toAttempt: (row: ClaimRow) => ClaimedAttempt;
} {
  const leaseToken = randomUUID();
  const startedAt = new Date();
  const attemptIds = Array.from({ length: options.limit }, () => newId('whAttempt'));
  return {
    values: [options.limit, options.perTarget, leaseToken, options.leaseMs, startedAt, attemptIds],
    toAttempt: (row) => toClaim(row, leaseToken, startedAt),
  };
}

function toClaim(row: ClaimRow, leaseToken: string, startedAt: Date): ClaimedAttempt {
  return {
    deliveryId: row.id,
    workspaceId: row.workspace_id,
    targetId: row.target_id,
    eventType: row.event_type,
    attemptId: row.attempt_id,
    attemptNumber: row.attempt_count,
    manual: row.manual_retry,
    resumeAt: row.resume_at,
    scheduledAttemptCount: row.scheduled_attempt_count,
    leaseToken,
    startedAt,
    traceparent: row.traceparent,
    target: {
      url: row.url,
      version: row.version,
      secretEncrypted: row.secret_encrypted,
      retiredSecretsEncrypted: row.retired_secrets_encrypted,
    },
    event: row.message,
  };
}
