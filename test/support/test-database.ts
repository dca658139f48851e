import type { DataSource } from 'typeorm';
import { assertTestDatabase, openDataSource } from '@app/database';

/** The run's own database (DATABASE_URL, set by global setup) for an integration spec; refuses one not named *_test. */
export function openTestDataSource(applicationName: string, poolSize = 2): Promise<DataSource> {
  const url = process.env.DATABASE_URL!;
  assertTestDatabase(url);
  return openDataSource({ url, poolSize, applicationName });
}
