import { randomBytes } from 'node:crypto';
import { ApiKeysRepository, ApiKeysService, WorkspacesRepository } from '@app/auth';
import { openDataSource } from '@app/database';

/** A fresh workspace and API key in the run's database. */
export async function createApiKey(workspaceName = `ws-${randomBytes(4).toString('hex')}`) {
  const dataSource = await openDataSource({
    url: process.env.DATABASE_URL!,
    poolSize: 1,
    applicationName: 'jest-fixtures',
  });
  try {
    return await new ApiKeysService(
      new ApiKeysRepository(dataSource),
      new WorkspacesRepository(dataSource),
    ).create(workspaceName);
  } finally {
    await dataSource.destroy();
  }
}

export function uniqueExternalId(prefix = 'user'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
