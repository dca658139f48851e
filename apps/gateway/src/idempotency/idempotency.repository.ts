import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import { deleteInChunks } from '@app/database';
import type { ClaimHandle, IdempotencyClaim, IdempotencyRecord } from './idempotency-record';
import { IDEMPOTENCY_KEYS_CHANNEL } from './key-settled-signal';

/** Keys are remembered this long; an older row counts as absent even before the purge removes it. */
const RETENTION = `interval '24 hours'`;
const PURGE_CHUNK = 10_000;
/**
 * Tells the requests waiting on these keys (on any replica) to look again, in the statement that settles them;
 * NOTIFY is delivered at commit, so a waiter that hears it reads the settled row.
 */
const NOTIFY_IF_ANY = `SELECT pg_notify('${IDEMPOTENCY_KEYS_CHANNEL}', $1) FROM (SELECT count(*) AS n FROM done) d WHERE d.n > 0`;

/**
 * Settles owned claims (`set` is the change) in one statement, and wakes their waiters: `complete` and
 * `release` differ only in what they set.
 */
const settleSql = (set: string) => `
  WITH done AS (
    UPDATE idempotency_keys k SET ${set}
      FROM jsonb_to_recordset($2::jsonb) AS h(key text, attempt integer)
     WHERE k.workspace_id = $1 AND k.key = h.key AND k.attempt = h.attempt AND k.status = 'in_flight'
    RETURNING 1)
  ${NOTIFY_IF_ANY}`;
const COMPLETE_SQL = settleSql(`status = 'completed'`);
const RELEASE_SQL = settleSql(`claimed_at = '-infinity'`);

/**
 * The idempotency_keys table. Every operation touches only its own (workspace_id, key) rows through the
 * primary key: unrelated requests never wait on each other.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: DataSource) {}

  async find(workspaceId: WorkspaceId, keys: string[], abandonAfterMs: number): Promise<IdempotencyRecord[]> {
    // Abandoned: in flight, and claimed longer ago than the takeover delay (or released: claimed at -infinity).
    return this.db.query(
      `SELECT key, request_hash AS "requestHash", message, status, attempt,
              status = 'in_flight' AND claimed_at < now() - $3 * interval '1 millisecond' AS abandoned
         FROM idempotency_keys
        WHERE workspace_id = $1 AND key = ANY($2::text[]) AND created_at > now() - ${RETENTION}`,
      [workspaceId, keys, abandonAfterMs],
    );
  }

  /**
   * Claims the keys nobody holds (or whose row has expired) in one statement; returns the claims won. Of two
   * racing requests the primary key lets exactly one insert: the other gets no row back.
   */
  async claim(workspaceId: WorkspaceId, claims: IdempotencyClaim[]): Promise<ClaimHandle[]> {
    if (claims.length === 0) return [];
    const rows: ClaimHandle[] = await this.db.query(
      `INSERT INTO idempotency_keys (workspace_id, key, request_hash, event_id, message, status)
       SELECT $1, c.key, c.request_hash, c.message->>'id', c.message, 'in_flight'
         FROM jsonb_to_recordset($2::jsonb) AS c(key text, request_hash text, message jsonb)
       ON CONFLICT (workspace_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, event_id = EXCLUDED.event_id, message = EXCLUDED.message,
             status = 'in_flight', attempt = idempotency_keys.attempt + 1, created_at = now(), claimed_at = now()
         WHERE idempotency_keys.created_at <= now() - ${RETENTION}
       RETURNING key, attempt`,
      [
        workspaceId,
        JSON.stringify(claims.map((c) => ({ key: c.key, request_hash: c.requestHash, message: c.message }))),
      ],
    );
    return rows;
  }

  /** Takes over a claim whose owner stopped answering; compare-and-set on the attempt, so one taker wins. */
  async takeOver(
    workspaceId: WorkspaceId,
    record: IdempotencyRecord,
    abandonAfterMs: number,
  ): Promise<ClaimHandle | undefined> {
    const [rows]: [ClaimHandle[], number] = await this.db.query(
      `UPDATE idempotency_keys SET attempt = attempt + 1, claimed_at = now()
        WHERE workspace_id = $1 AND key = $2 AND attempt = $3 AND status = 'in_flight'
          AND claimed_at < now() - $4 * interval '1 millisecond'
       RETURNING key, attempt`,
      [workspaceId, record.key, record.attempt, abandonAfterMs],
    );
    return rows[0];
  }

  /** Marks owned claims completed: from now on their stored event is the answer. */
  async complete(workspaceId: WorkspaceId, handles: ClaimHandle[]): Promise<void> {
    await this.settle(workspaceId, handles, COMPLETE_SQL);
  }

  /**
   * Gives owned claims back after a failed publish, keeping their stored event: the next request with the key
   * takes the claim over at once and publishes that same event. A publish that timed out may still have reached
   * the broker, so the retry must carry the same event id for consumers to dedupe, never a new one.
   */
  async release(workspaceId: WorkspaceId, handles: ClaimHandle[]): Promise<void> {
    await this.settle(workspaceId, handles, RELEASE_SQL);
  }

  private async settle(workspaceId: WorkspaceId, handles: ClaimHandle[], sql: string): Promise<void> {
    if (handles.length === 0) return;
    await this.db.query(sql, [workspaceId, JSON.stringify(handles)]);
  }

  /** Maintenance across all workspaces: deletes expired rows in chunks, so no statement runs long. */
  purgeExpiredAcrossWorkspaces(): Promise<number> {
    return deleteInChunks(
      this.db,
      `DELETE FROM idempotency_keys WHERE ctid IN (
         SELECT ctid FROM idempotency_keys WHERE created_at <= now() - ${RETENTION} LIMIT ${PURGE_CHUNK})`,
      PURGE_CHUNK,
    );
  }
}
