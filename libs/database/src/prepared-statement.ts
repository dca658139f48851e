import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * A statement run on every message, claim or request. PostgreSQL plans an unnamed statement again on each
 * execution, and for the hot statements here (CTEs over `unnest` arrays) planning costs as much as running
 * them: the webhook claim took 1.2 ms of the server's CPU unnamed and 0.4 ms prepared. A named statement is
 * parsed once per connection and its plan cached (node-postgres remembers which connection has it).
 *
 * Only statements whose text is fixed may be prepared (a name per text), or a connection would keep one per
 * variant for ever. `DATABASE_PREPARED_STATEMENTS=false` sends them unnamed, for a connection pooler that
 * cannot carry prepared statements across its server connections (PgBouncer before 1.21 in transaction mode).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Marks the pg pool's options so that `queryPrepared` knows whether statements may be named. */
export const PREPARED_STATEMENTS_OPTION = 'supportdeskPreparedStatements';

const names = new Map<string, string>();

export function preparedStatement(name: string, text: string): PreparedStatement {
  const known = names.get(name);
  if (known !== undefined && known !== text) throw new Error(`Two prepared statements are named ${name}`);
  names.set(name, text);
  return { name, text };
}

/**
 * The rows of a prepared statement, run on the transaction's connection when `db` is a transaction's
 * EntityManager, on the pool otherwise. Values and rows are converted exactly as TypeORM's own `query` does
 * (the same node-postgres type parsers), and a failure is TypeORM's QueryFailedError as well (the statement,
 * its parameters for the log serializer to reduce to position and type, the SQLSTATE in `code`).
 */
export async function queryPrepared<T extends QueryResultRow>(
  db: DataSource | EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  const manager = 'manager' in db ? db.manager : db;
  const pool = poolOf(manager.connection);
  const named = (pool.options as unknown as Record<string, unknown>)[PREPARED_STATEMENTS_OPTION] !== false;
  const query = named
    ? { name: statement.name, text: statement.text, values }
    : { text: statement.text, values };
  const runner = manager.queryRunner as PostgresQueryRunner | undefined;
  try {
    if (runner === undefined) return (await pool.query<T>(query)).rows;
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T>(query)).rows;
  } catch (error) {
    throw new QueryFailedError(statement.text, values, error as Error);
  }
}

/** The node-postgres pool behind a TypeORM DataSource (its driver's `master`). */
export function poolOf(db: DataSource): Pool {
  return (db.driver as unknown as { master: Pool }).master;
}
