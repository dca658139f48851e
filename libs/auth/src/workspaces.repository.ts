import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, type WorkspaceId } from '@app/contracts';

export interface Workspace {
  id: WorkspaceId;
  name: string;
}

/**
 * The tenants themselves (the `workspaces` table holds no tenant data): looked up by name or id, so no method
 * takes a workspace scope. The columns read are the domain's own names, so rows are `Workspace`s as they come.
 */
@Injectable()
export class WorkspacesRepository {
  constructor(private readonly db: DataSource) {}

  /** The workspace with this name, created when the name is new. */
  async findOrCreate(name: string): Promise<{ workspace: Workspace; created: boolean }> {
    const inserted: Workspace[] = await this.db.query(
      'INSERT INTO workspaces (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name',
      [newId('w'), name],
    );
    if (inserted[0]) return { workspace: inserted[0], created: true };
    const found: Workspace[] = await this.db.query('SELECT id, name FROM workspaces WHERE name = $1', [name]);
    return { workspace: found[0], created: false };
  }

  /** Those of `ids` that name an existing workspace. */
  async existing(ids: string[]): Promise<WorkspaceId[]> {
    const found: Array<{ id: WorkspaceId }> = await this.db.query(
      'SELECT id FROM workspaces WHERE id = ANY($1)',
      [ids],
    );
    return found.map((row) => row.id);
  }

  async findByName(name: string): Promise<Workspace | undefined> {
    const found: Workspace[] = await this.db.query('SELECT id, name FROM workspaces WHERE name = $1', [name]);
    return found[0];
  }

  /** The workspaces among `ids`, for showing names beside ids. */
  async findByIds(ids: string[]): Promise<Workspace[]> {
    return this.db.query('SELECT id, name FROM workspaces WHERE id = ANY($1)', [ids]);
  }

  async findById(id: string): Promise<Workspace | undefined> {
    const found: Workspace[] = await this.db.query('SELECT id, name FROM workspaces WHERE id = $1', [id]);
    return found[0];
  }
}
