import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKeysRepository, ApiKeysService, WorkspacesRepository } from '@app/auth';
import { openDataSource } from '@app/database';

/** Runs `work` on a connection of its own to the run's database, closed after. */
async function withDatabase<T>(applicationName: string, work: (db: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource({ url: process.env.DATABASE_URL!, poolSize: 1, applicationName });
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** A fresh workspace and API key in the run's database. */
export function createApiKey(workspaceName = `ws-${randomBytes(4).toString('hex')}`) {
  return withDatabase('jest-fixtures', (db) =>
    new ApiKeysService(new ApiKeysRepository(db), new WorkspacesRepository(db)).create(workspaceName),
  );
}

/** Revokes the key as an operator would (every replica hears of it). */
export async function revokeApiKey(apiKeyId: string): Promise<void> {
  await withDatabase('jest-revoke', (db) => new ApiKeysRepository(db).revokeAcrossWorkspaces(apiKeyId));
}

export function uniqueExternalId(prefix = 'user'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
