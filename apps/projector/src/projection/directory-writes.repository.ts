import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Customer, WorkspaceId } from '@app/contracts';
import { preparedStatement, queryPrepared, type PreparedStatement } from '@app/database';
import { assertKnownTables, READ_MODEL_TABLES, type ReadModelTables } from './read-model-tables';

/** A customer's state as one change left it: what the directory keeps, by externalId, per workspace. */
export interface DirectoryEntry {
  customerId: string;
  workspaceId: WorkspaceId;
  externalId: string;
  customer: Customer;
  version: number;
}

/** Keeps the customer directory (externalId → customer) and the tombstones current from customer-changes.v1. */
@Injectable()
export class DirectoryWritesRepository {
  private readonly releaseOlder: PreparedStatement;
  private readonly upsertNewer: PreparedStatement;
  private readonly leaveTombstone: PreparedStatement;
  private readonly removeEntry: PreparedStatement;

  constructor(@Inject(READ_MODEL_TABLES) tables: ReadModelTables) {
    const { directory, tombstones } = assertKnownTables(tables);
    // externalId is unique per workspace and never changes, so an older customer holding the same externalId
    // was deleted before this one was created (ids are ULIDs: newer is larger), even if its delete is still
    // on its way on another partition. The older one gives way; an older one arriving late (a rebuild reads
    // partitions in any order) is skipped instead of failing on the unique constraint.
    this.releaseOlder = preparedStatement(
      `projector_release_${directory}`,
      `DELETE FROM ${directory} WHERE workspace_id = $1 AND external_id = $2 AND customer_id < $3`,
    );
    this.upsertNewer = preparedStatement(
      `projector_upsert_${directory}`,
      `
      INSERT INTO ${directory} (customer_id, workspace_id, external_id, customer, version, updated_at)
      SELECT $1, $2, $3, $4, $5, now()
      WHERE NOT EXISTS (SELECT 1 FROM ${tombstones} WHERE customer_id = $1)
        AND NOT EXISTS (SELECT 1 FROM ${directory} WHERE workspace_id = $2 AND external_id = $3 AND customer_id > $1)
      ON CONFLICT (customer_id) DO UPDATE
        SET external_id = EXCLUDED.external_id, customer = EXCLUDED.customer, version = EXCLUDED.version,
            updated_at = now()
        WHERE ${directory}.version < EXCLUDED.version`,
    );
    this.leaveTombstone = preparedStatement(
      `projector_tombstone_${tombstones}`,
      `INSERT INTO ${tombstones} (customer_id, workspace_id, version) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO NOTHING`,
    );
    this.removeEntry = preparedStatement(
      `projector_remove_${directory}`,
      `DELETE FROM ${directory} WHERE workspace_id = $1 AND customer_id = $2`,
    );
  }

  /** Upserts when this version is newer than the stored one and the customer is not deleted. */
  async upsert(em: EntityManager, entry: DirectoryEntry): Promise<void> {
    await queryPrepared(em, this.releaseOlder, [entry.workspaceId, entry.externalId, entry.customerId]);
    await queryPrepared(em, this.upsertNewer, [
      entry.customerId,
      entry.workspaceId,
      entry.externalId,
      JSON.stringify(entry.customer),
      entry.version,
    ]);
  }

  /** Removes the entry and leaves a tombstone so late messages cannot bring the customer back. */
  async tombstone(
    em: EntityManager,
    workspaceId: WorkspaceId,
    customerId: string,
    version: number,
  ): Promise<void> {
    await queryPrepared(em, this.leaveTombstone, [customerId, workspaceId, version]);
    await queryPrepared(em, this.removeEntry, [workspaceId, customerId]);
  }
}
