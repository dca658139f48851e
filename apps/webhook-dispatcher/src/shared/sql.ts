import type { DataSource, EntityManager } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';

type Queryable = Pick<EntityManager | DataSource, 'query'>;

/**
 * The rows of any statement. TypeORM's postgres driver answers UPDATE and DELETE with [rows, rowCount] but
 * SELECT and INSERT with rows; rows are objects, never arrays, so the two shapes cannot be confused.
 */
export async function queryRows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, parameters);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** The first row of a statement as the domain's `T` (through `map`), or undefined when there is none. */
export async function queryFirst<Row, T>(
  db: Queryable,
  sql: string,
  parameters: unknown[],
  map: (row: Row) => T,
): Promise<T | undefined> {
  const [row] = await queryRows<Row>(db, sql, parameters);
  return row === undefined ? undefined : map(row);
}

/** The row with this id in `table` (read as `columns`), if it belongs to the workspace: undefined otherwise. */
export function findInWorkspace<Row, T>(
  db: Queryable,
  from: { table: string; columns: string },
  workspaceId: WorkspaceId,
  id: string,
  map: (row: Row) => T,
): Promise<T | undefined> {
  return queryFirst(
    db,
    `SELECT ${from.columns} FROM ${from.table} WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id],
    map,
  );
}
