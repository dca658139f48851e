import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { CustomerEventMessage, WorkspaceId, WorkspaceScope } from '@app/contracts';
import {
  dollarQuoted,
  preparedStatement,
  queryInOneRoundTrip,
  queryPrepared,
  type PreparedStatement,
} from '@app/database';
import { assertKnownTables, LIVE_TABLES, READ_MODEL_TABLES, type ReadModelTables } from './read-model-tables';
import { notifyTimelineSql } from './timeline-channel';

/**
 * A timeline item to project: a customer event as consumed (a change is written in the same shape), in its
 * checked workspace.
 */
export type ProjectedTimelineItem = WorkspaceScope &
  Pick<CustomerEventMessage, 'id' | 'customerId' | 'type' | 'title' | 'payload' | 'occurredAt' | 'createdAt'>;

/**
 * Writes to the timeline read model, in the caller's transaction (or, for `insertManyAlone`, in one of its own).
 * Every write is idempotent on the item id
 * (redeliveries change nothing). A batch mixes workspaces: each item carries its own.
 */
@Injectable()
export class TimelineWritesRepository {
  private readonly insert: PreparedStatement;
  /** The insert's text around its rows (a JSON document): `$1` for the prepared statement, or a literal. */
  private readonly insertSql: (rows: string) => string;
  private readonly erase: PreparedStatement;

  constructor(@Inject(READ_MODEL_TABLES) tables: ReadModelTables) {
    const { timeline, tombstones } = assertKnownTables(tables);
    // Live streams follow the tables the API reads; a rebuild's copies stay silent until they are swapped in.
    const announces = timeline === LIVE_TABLES.timeline;
    // One statement for the whole batch: the rows as one JSON array, skip customers already erased (a tombstone),
    // and ignore ids already projected. Times are cut to milliseconds, the precision of the API and its cursor:
    // a cursor rounded below a stored microsecond would otherwise skip rows on the next page.
    // Why one JSON document rather than unnest() of seven arrays: PostgreSQL parses it ~1.7× faster than
    // array literals of escaped JSON, and node-pg no longer escapes every payload (the bench's `project`).
    // `json`, not `jsonb`: json_to_recordset hands each payload over as the text sent, keys in their order.
    // The same statement announces the rows it inserted (delivered at commit), so a redelivery stays silent; the
    // count of `announced` is selected so that PostgreSQL runs that CTE (an unreferenced SELECT CTE is skipped).
    this.insertSql = (rows) => `
      WITH inserted AS (
        INSERT INTO ${timeline} (id, workspace_id, customer_id, type, title, payload, occurred_at, created_at)
        SELECT t.id, t.workspace_id, t.customer_id, t.type, t.title, t.payload,
               date_trunc('milliseconds', t.occurred_at), date_trunc('milliseconds', t.created_at)
        FROM json_to_recordset(${rows}::json) AS t(id text, workspace_id text, customer_id text, type text,
                                                    title text, payload json, occurred_at timestamptz, created_at timestamptz)
        WHERE NOT EXISTS (SELECT 1 FROM ${tombstones} d WHERE d.customer_id = t.customer_id)
        ON CONFLICT (id) DO NOTHING
        RETURNING id, workspace_id, customer_id
      )${announces ? `, announced AS (${notifyTimelineSql('inserted')})` : ''}
      SELECT (SELECT count(*) FROM inserted)::int AS inserted${
        announces ? ', (SELECT count(*) FROM announced)::int AS notifications' : ''
      }`;
    this.insert = preparedStatement(`projector_insert_${timeline}`, this.insertSql('$1'));
    this.erase = preparedStatement(
      `projector_erase_${timeline}`,
      `DELETE FROM ${timeline} WHERE workspace_id = $1 AND customer_id = $2`,
    );
  }

  /** Inserts the items not projected yet, in the caller's transaction; resolves with how many were new. */
  async insertMany(em: EntityManager, items: ProjectedTimelineItem[]): Promise<number> {
    if (items.length === 0) return 0;
    const rows = await queryPrepared<{ inserted: number }>(em, this.insert, [rowsDocument(items)]);
    return rows[0]?.inserted ?? 0;
  }

  /**
   * `insertMany` as a transaction of its own, sent in one round trip (`queryInOneRoundTrip`): `lockStatement`
   * (the customers' locks, `CustomerLocks.lockStatement`) first, then the insert. The events' path: a batch of
   * live events is a handful of rows, and its five round trips (BEGIN, the locks, the insert, the announcement,
   * COMMIT) were, sent one by one, a quarter of the projector's CPU with live traffic (bench/README.md).
   */
  async insertManyAlone(
    db: DataSource,
    items: ProjectedTimelineItem[],
    lockStatement: string | undefined,
  ): Promise<number> {
    if (items.length === 0) return 0;
    const statements = [this.insertSql(dollarQuoted(rowsDocument(items)))];
    if (lockStatement !== undefined) statements.unshift(lockStatement);
    const results = await queryInOneRoundTrip<{ inserted: number }>(db, statements, this.insert.text);
    return results[results.length - 1][0]?.inserted ?? 0;
  }

  async eraseCustomer(em: EntityManager, workspaceId: WorkspaceId, customerId: string): Promise<void> {
    await queryPrepared(em, this.erase, [workspaceId, customerId]);
  }
}

/** The items as the insert's JSON document: the columns it stores, by name. */
function rowsDocument(items: ProjectedTimelineItem[]): string {
  return JSON.stringify(
    items.map((i) => ({
      id: i.id,
      workspace_id: i.workspaceId,
      customer_id: i.customerId,
      type: i.type,
      title: i.title,
      payload: i.payload,
      occurred_at: i.occurredAt,
      created_at: i.createdAt,
    })),
  );
}
