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
    // Both for a batch: $1 workspace ids, $2 external ids, $3 customer ids (and $4 customers, $5 versions).
    this.releaseOlder = preparedStatement(
      `projector_release_${directory}`,
      `DELETE FROM ${directory} d
       USING unnest($1::text[], $2::text[], $3::text[]) AS e(workspace_id, external_id, customer_id)
       WHERE d.workspace_id = e.workspace_id AND d.external_id = e.external_id AND d.customer_id < e.customer_id`,
    );
    this.upsertNewer = preparedStatement(
      `projector_upsert_${directory}`,
      `
      INSERT INTO ${directory} (customer_id, workspace_id, external_id, customer, version, updated_at)
      SELECT e.customer_id, e.workspace_id, e.external_id, e.customer, e.version, now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[])
        AS e(workspace_id, external_id, customer_id, customer, version)
      WHERE NOT EXISTS (SELECT 1 FROM ${tombstones} t WHERE t.customer_id = e.customer_id)
        AND NOT EXISTS (SELECT 1 FROM ${directory} n
                        WHERE n.workspace_id = e.workspace_id AND n.external_id = e.external_id
                          AND n.customer_id > e.customer_id)
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

  /**
   * Upserts each entry whose version is newer than the stored one and whose customer is not deleted, for a
   * batch in two statements. Within the batch only what the entries one by one would leave is written: a
   * customer's newest version, and of two customers holding one externalId the newer (the older was deleted).
   */
  async upsertMany(em: EntityManager, entries: DirectoryEntry[]): Promise<void> {
    const latest = newestPerExternalId(entries);
    if (latest.length === 0) return;
    const values = [
      latest.map((e) => e.workspaceId),
      latest.map((e) => e.externalId),
      latest.map((e) => e.customerId),
    ];
    await queryPrepared(em, this.releaseOlder, values);
    await queryPrepared(em, this.upsertNewer, [
      ...values,
      latest.map((e) => JSON.stringify(e.customer)),
      latest.map((e) => e.version),
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

/**
 * The entries a batch leaves in the directory: per customer its highest version, then per (workspace,
 * externalId) the newest customer (ids are ULIDs: larger is newer). One statement may write a row once only.
 */
export function newestPerExternalId(entries: DirectoryEntry[]): DirectoryEntry[] {
  const byCustomer = new Map<string, DirectoryEntry>();
  for (const entry of entries) {
    const kept = byCustomer.get(entry.customerId);
    if (!kept || kept.version < entry.version) byCustomer.set(entry.customerId, entry);
  }
  const byExternalId = new Map<string, DirectoryEntry>();
  for (const entry of byCustomer.values()) {
    const key = `${entry.workspaceId}:${entry.externalId}`; // a workspace id holds no ':'
    const kept = byExternalId.get(key);
    if (!kept || kept.customerId < entry.customerId) byExternalId.set(key, entry);
  }
  return [...byExternalId.values()];
}
