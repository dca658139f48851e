import type { DataSource, QueryRunner } from 'typeorm';
import { RebuildTablesRepository } from './rebuild-tables.repository';
import { openTestDataSource } from '@test/support/test-database';

const READ_MODELS = ['timeline_items', 'customer_directory', 'customer_tombstones'];

describe(RebuildTablesRepository.name, () => {
  let db: DataSource;
  let session: QueryRunner;
  const sut = new RebuildTablesRepository();

  beforeAll(async () => {
    db = await openTestDataSource('rebuild-tables-spec', 3);
    session = db.createQueryRunner();
    await session.connect();
  });

  afterAll(async () => {
    await sut.drop(session);
    await session.release();
    await db.destroy();
  });

  /** Index and constraint names with their definitions (table names taken out), per read-model table. */
  const schema = async () =>
    db.query(
      `SELECT t.relname AS "table", c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
              (SELECT string_agg(conname, ',') FROM pg_constraint WHERE conindid = i.indexrelid) AS constraints
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname = ANY($1) ORDER BY 1, 2`,
      [READ_MODELS],
    );

  it('swaps in the rebuilt tables with exactly the names of the live indexes and constraints', async () => {
    const before = await schema();
    await sut.create(session);
    await session.query(
      `INSERT INTO customer_tombstones_rebuild (customer_id, workspace_id, version) VALUES ('c_rebuilt', 'w_x', 1)`,
    );

    await session.startTransaction();
    await sut.blockLiveWrites(session, 2000);
    await sut.swap(session);
    await session.commitTransaction();

    expect(await schema()).toEqual(before);
    expect(await db.query(`SELECT customer_id FROM customer_tombstones`)).toEqual([
      { customer_id: 'c_rebuilt' },
    ]);
    expect(await db.query(`SELECT to_regclass('customer_tombstones_rebuild') AS t`)).toEqual([{ t: null }]);
  });

  it('lets one rebuild at a time hold the rebuild lock', async () => {
    const second = db.createQueryRunner();
    await second.connect();
    try {
      expect(await sut.tryLock(session)).toBe(true);
      expect(await sut.tryLock(second)).toBe(false);
      await sut.unlock(session);
      expect(await sut.tryLock(second)).toBe(true);
      await sut.unlock(second);
    } finally {
      await second.release();
    }
  });
});
