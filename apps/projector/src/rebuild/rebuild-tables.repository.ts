import type { QueryRunner } from 'typeorm';
import { LIVE_TABLES, type ReadModelTables, REBUILD_TABLES } from '../projection';

/** Pairs of (live, rebuild) table names, in the order the live projector's transactions lock them. */
const PAIRS = (['tombstones', 'directory', 'timeline'] as const).map((kind: keyof ReadModelTables) => ({
  live: String(LIVE_TABLES[kind]),
  rebuild: String(REBUILD_TABLES[kind]),
}));

/** One key, in its own namespace, held for the whole rebuild: two rebuilds at once would share tables. */
const REBUILD_LOCK: [number, number] = [REBUILD_TABLES.lockNamespace, -1];

interface IndexRow {
  name: string;
  definition: string;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** An index's definition without its own name and table, to pair a live index with its rebuilt copy. */
const shapeOf = (definition: string) => definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, '$1');

/**
 * DDL of a rebuild: fresh copies of the read-model tables, and the atomic swap that puts them live. It works on
 * whole tables, every workspace's rows at once, never on rows of one: no method takes a workspace.
 */
export class RebuildTablesRepository {
  /** Session-level: hold the QueryRunner's connection for the whole rebuild. */
  async tryLock(session: QueryRunner): Promise<boolean> {
    const rows = (await session.query(
      'SELECT pg_try_advisory_lock($1::int, $2::int) AS locked',
      REBUILD_LOCK,
    )) as Array<{ locked: boolean }>;
    return rows[0]?.locked === true;
  }

  async unlock(session: QueryRunner): Promise<void> {
    await session.query('SELECT pg_advisory_unlock($1::int, $2::int)', REBUILD_LOCK);
  }

  /** Empty copies of the live tables: same columns, defaults, constraints and indexes. */
  async create(session: QueryRunner): Promise<void> {
    await this.drop(session);
    for (const { live, rebuild } of PAIRS) {
      await session.query(`CREATE TABLE ${rebuild} (LIKE ${live} INCLUDING ALL)`);
    }
  }

  async drop(session: QueryRunner): Promise<void> {
    for (const { rebuild } of PAIRS) await session.query(`DROP TABLE IF EXISTS ${rebuild}`);
  }

  /**
   * Inside a transaction: blocks the live projector's writes (reads go on) until the swap commits. Locks in
   * the order the projector's transactions usually take the tables; a batch mixing updates and deletions can
   * still close a cycle, which PostgreSQL breaks (40P01) and the caller retries, like a lock timeout.
   */
  async blockLiveWrites(session: QueryRunner, lockTimeoutMs: number): Promise<void> {
    await session.query(`SET LOCAL lock_timeout = ${Math.floor(lockTimeoutMs)}`);
    await session.query(`LOCK TABLE ${PAIRS.map((p) => p.live).join(', ')} IN EXCLUSIVE MODE`);
  }

  /**
   * Inside the same transaction: drops the live tables and renames the rebuilt ones (and their indexes and
   * constraints) to the live names, so the schema is exactly what the migrations created.
   */
  async swap(session: QueryRunner): Promise<void> {
    for (const { live, rebuild } of PAIRS) {
      const liveIndexes = new Map(
        (await this.indexesOf(session, live)).map((i) => [shapeOf(i.definition), i]),
      );
      const rebuiltIndexes = await this.indexesOf(session, rebuild);
      await session.query(`DROP TABLE ${live}`);
      await session.query(`ALTER TABLE ${rebuild} RENAME TO ${live}`);
      for (const index of rebuiltIndexes) {
        const original = liveIndexes.get(shapeOf(index.definition));
        if (original && original.name !== index.name) {
          await session.query(`ALTER INDEX ${quote(index.name)} RENAME TO ${quote(original.name)}`);
        }
      }
    }
  }

  /** What the swapped-in tables hold, all workspaces together (the rebuild's report). */
  async countRowsAcrossWorkspaces(
    session: QueryRunner,
  ): Promise<{ timelineItems: number; customers: number; tombstones: number }> {
    const [row] = (await session.query(
      `SELECT (SELECT count(*)::int FROM ${LIVE_TABLES.timeline}) AS timeline,
              (SELECT count(*)::int FROM ${LIVE_TABLES.directory}) AS directory,
              (SELECT count(*)::int FROM ${LIVE_TABLES.tombstones}) AS tombstones`,
    )) as Array<{ timeline: number; directory: number; tombstones: number }>;
    return { timelineItems: row.timeline, customers: row.directory, tombstones: row.tombstones };
  }

  private indexesOf(session: QueryRunner, table: string): Promise<IndexRow[]> {
    return session.query(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass`,
      [table],
    );
  }
}
