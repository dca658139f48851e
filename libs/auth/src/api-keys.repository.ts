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

  /** Returns false when no such key exists (revoking twice is fine). */
  async revoke(id: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, rowCount], whose length is always 2.
    const rows: unknown[] = await this.db.query(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id
       )
       SELECT id FROM revoked`,
      [id],
    );
    return rows.length > 0;
  }
}
