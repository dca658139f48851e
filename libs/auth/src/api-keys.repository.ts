import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  secretHash: Buffer;
  createdAt: Date;
  revokedAt: Date | null;
}

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  secret_hash: Buffer;
  created_at: Date;
  revoked_at: Date | null;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** PostgreSQL channel on which a revocation names the revoked key's id (its machine user id). */
export const API_KEY_REVOKED_CHANNEL = 'api_key_revoked';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const rows: ApiKeyRow[] = await this.db.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async insert(record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<void> {
    await this.db.query(
      'INSERT INTO api_keys (id, workspace_id, name, secret_hash) VALUES ($1, $2, $3, $4)',
      [record.id, record.workspaceId, record.name, record.secretHash],
    );
  }

  async list(workspaceId?: string): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = workspaceId
      ? await this.db.query('SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY id', [workspaceId])
      : await this.db.query('SELECT * FROM api_keys ORDER BY id');
    return rows.map(toRecord);
  }

  /**
   * Returns false when no such key exists (revoking twice is fine). Announces the revocation on
   * API_KEY_REVOKED_CHANNEL, delivered at commit to every listening replica.
   */
  async revoke(id: string): Promise<boolean> {
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

  /** Those of `ids` that are revoked or no longer exist. */
  async revokedAmong(ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      'SELECT id FROM unnest($1::text[]) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.id = wanted.id AND k.revoked_at IS NULL)',
      [ids],
    );
    return rows.map((row) => row.id);
  }
}
