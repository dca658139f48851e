import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';

/** A machine user's API key, without its secret (only the secret's hash is stored). */
export interface ApiKey {
  id: string;
  workspaceId: WorkspaceId;
  name: string;
  secretHash: Buffer;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The columns of an ApiKey, named as its fields: rows come out as ApiKeys. */
const API_KEY = `id, workspace_id AS "workspaceId", name, secret_hash AS "secretHash", created_at AS "createdAt",
  revoked_at AS "revokedAt"`;

/** PostgreSQL channel on which a revocation names the revoked key's id (its machine user id). */
export const API_KEY_REVOKED_CHANNEL = 'api_key_revoked';

/**
 * API keys. Keys are found by their id before anyone knows the caller's workspace (authentication), and
 * revoked by an operator from the CLI: those methods are `…AcrossWorkspaces`; listing one workspace's keys
 * takes the workspace.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** Authentication: the key with this id, whatever its workspace. */
  async findAcrossWorkspaces(id: string): Promise<ApiKey | undefined> {
    const rows: ApiKey[] = await this.db.query(`SELECT ${API_KEY} FROM api_keys WHERE id = $1`, [id]);
    return rows[0];
  }

  async insert(key: Omit<ApiKey, 'createdAt' | 'revokedAt'>): Promise<void> {
    await this.db.query(
      'INSERT INTO api_keys (id, workspace_id, name, secret_hash) VALUES ($1, $2, $3, $4)',
      [key.id, key.workspaceId, key.name, key.secretHash],
    );
  }

  async list(workspaceId: WorkspaceId): Promise<ApiKey[]> {
    return this.db.query(`SELECT ${API_KEY} FROM api_keys WHERE workspace_id = $1 ORDER BY id`, [
      workspaceId,
    ]);
  }

  /** The operator's list (the CLI without a workspace): every key of every workspace. */
  async listAcrossWorkspaces(): Promise<ApiKey[]> {
    return this.db.query(`SELECT ${API_KEY} FROM api_keys ORDER BY id`);
  }

  /**
   * The operator's revocation, by key id. Returns false when no such key exists (revoking twice is fine).
   * Announces the revocation on API_KEY_REVOKED_CHANNEL, delivered at commit to every listening replica.
   */
  async revokeAcrossWorkspaces(id: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, rowCount], whose length is always 2.
    const rows: unknown[] = await this.db.query(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id
       )
       SELECT id, pg_notify('${API_KEY_REVOKED_CHANNEL}', id) FROM revoked`,
      [id],
    );
    return rows.length > 0;
  }

  /** Those of `ids` that are revoked or no longer exist (the keys live streams are open on, any workspace). */
  async revokedAmongAcrossWorkspaces(ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      'SELECT id FROM unnest($1::text[]) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.id = wanted.id AND k.revoked_at IS NULL)',
      [ids],
    );
    return rows.map((row) => row.id);
  }
}
