import type { DataSource } from 'typeorm';
import { newId, parseWorkspaceId, type WorkspaceId } from '@app/contracts';

/** A fresh workspace id (no row behind it): for specs whose tables do not refer to workspaces. */
export const testWorkspaceId = (): WorkspaceId => parseWorkspaceId(newId('w'));

/** A fresh workspace in the run's database (named after its id), for tables that refer to workspaces. */
export async function insertTestWorkspace(db: DataSource): Promise<WorkspaceId> {
  const id = testWorkspaceId();
  await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [id, id]);
  return id;
}
