import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { PREPARED_STATEMENTS_OPTION } from './prepared-statement';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  applicationName: string;
  /** Hot statements as named prepared statements (default); false for a pooler that cannot carry them. */
  preparedStatements?: boolean;
}

export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      [PREPARED_STATEMENTS_OPTION]: options.preparedStatements ?? true,
    },
  };
}

/** A DataSource outside Nest (CLI, tests). */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  return dataSource;
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}
