import { Client } from 'pg';
import { databaseNameOf } from '../../libs/database/src/data-source';
import { assertTestDatabase } from '../../libs/database/src/ensure-database';

/**
 * A PostgreSQL "restart" seen from the apps, confined to the run's own `_test` database: new connections are
 * refused and every open session is cut, while the shared server keeps serving everyone else. It connects to
 * the `postgres` maintenance database to do it, and refuses any database whose name does not end in `_test`.
 */
export class DatabaseOutage {
  private readonly database: string;
  private readonly serverUrl: string;

  constructor(databaseUrl = process.env.DATABASE_URL!) {
    assertTestDatabase(databaseUrl);
    this.database = databaseNameOf(databaseUrl);
    const url = new URL(databaseUrl);
    url.pathname = '/postgres';
    this.serverUrl = url.toString();
  }

  /** Closes the database to new connections and terminates the sessions it has (other than this one). */
  async begin(): Promise<number> {
    return this.withServer(async (server) => {
      await server.query(`ALTER DATABASE ${this.quoted} WITH ALLOW_CONNECTIONS false`);
      const cut = await server.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [this.database],
      );
      return cut.rowCount ?? 0;
    });
  }

  async end(): Promise<void> {
    await this.withServer((server) =>
      server.query(`ALTER DATABASE ${this.quoted} WITH ALLOW_CONNECTIONS true`),
    );
  }

  private get quoted(): string {
    return `"${this.database.replace(/"/g, '""')}"`;
  }

  private async withServer<T>(work: (server: Client) => Promise<T>): Promise<T> {
    const server = new Client({ connectionString: this.serverUrl, application_name: 'jest-db-outage' });
    await server.connect();
    try {
      return await work(server);
    } finally {
      await server.end();
    }
  }
}
