import type { DataSource, QueryRunner } from 'typeorm';
import { inWorkspace, newId, parseWorkspaceId } from '@app/contracts';
import { CustomerScript } from '@test/e2e/projector-fixtures';
import { consumedRecords as records } from '@test/support/consumed-records';
import { eventually } from '@test/support/eventually';
import { openTestDataSource } from '@test/support/test-database';
import { CustomerLocks } from './customer-locks';
import { DirectoryWritesRepository } from './directory-writes.repository';
import { projectionHandlers } from './projection-handlers';
import { LIVE_TABLES } from './read-model-tables';
import { TimelineWritesRepository } from './timeline-writes.repository';

/**
 * The race between an events batch and a customer's erasure, played step by step with two connections: one
 * transaction is held open while the other starts, as happens when the two topics' partitions are consumed
 * concurrently.
 */
describe('erasure versus a concurrent events batch', () => {
  let db: DataSource;
  let other: QueryRunner;
  const locks = new CustomerLocks(LIVE_TABLES);
  const timeline = new TimelineWritesRepository(LIVE_TABLES);
  const directory = new DirectoryWritesRepository(LIVE_TABLES);

  beforeAll(async () => {
    db = await openTestDataSource('locks-spec', 4);
  });

  beforeEach(async () => {
    other = db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
  });

  afterEach(async () => {
    if (other.isTransactionActive) await other.rollbackTransaction();
    await other.release();
  });

  afterAll(() => db.destroy());

  const itemsOf = async (customerId: string) =>
    Number(
      (await db.query('SELECT count(*) FROM timeline_items WHERE customer_id = $1', [customerId]))[0].count,
    );

  const someoneWaitsOnAnAdvisoryLock = () =>
    eventually(async () => {
      const rows: unknown[] = await db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
      );
      expect(rows.length).toBeGreaterThan(0);
    });

  it('an events batch arriving during an uncommitted erasure waits for it, then skips the erased customer', async () => {
    const customer = new CustomerScript(newId('w'));
    const workspaceId = parseWorkspaceId(customer.workspaceId);
    const { events } = projectionHandlers(db, LIVE_TABLES);
    await locks.lock(other.manager, { erase: [customer.customerId] });
    await directory.tombstone(other.manager, workspaceId, customer.customerId, 2);
    await timeline.eraseCustomer(other.manager, workspaceId, customer.customerId);

    const applying = events.apply(records(customer.event(), customer.event()));
    await someoneWaitsOnAnAdvisoryLock();
    await other.commitTransaction();
    await applying;

    expect(await itemsOf(customer.customerId)).toBe(0);
  });

  it("the locks as one inline statement are the same locks: an events batch waits for an erasure's", async () => {
    const customer = new CustomerScript(newId('w'));
    const workspaceId = parseWorkspaceId(customer.workspaceId);
    const { events } = projectionHandlers(db, LIVE_TABLES);
    await other.query(locks.lockStatement({ erase: [customer.customerId] })!);
    await directory.tombstone(other.manager, workspaceId, customer.customerId, 2);

    const applying = events.apply(records(customer.event()));
    await someoneWaitsOnAnAdvisoryLock();
    await other.commitTransaction();
    await applying;

    expect(await itemsOf(customer.customerId)).toBe(0);
    expect(locks.lockStatement({})).toBeUndefined();
  });

  it('an erasure arriving during an uncommitted events batch waits for it, then erases its items too', async () => {
    const customer = new CustomerScript(newId('w'));
    const { changes } = projectionHandlers(db, LIVE_TABLES);
    await locks.lock(other.manager, { insert: [customer.customerId] });
    const [event] = [customer.event()];
    await timeline.insertMany(other.manager, [inWorkspace(event)]);

    customer.created();
    const erasing = changes.apply(records(customer.deleted()));
    await someoneWaitsOnAnAdvisoryLock();
    await other.commitTransaction();
    await erasing;

    expect(await itemsOf(customer.customerId)).toBe(0);
  });

  it('without the locks, the same interleaving leaves orphan items (why the locks exist)', async () => {
    const customer = new CustomerScript(newId('w'));
    const workspaceId = parseWorkspaceId(customer.workspaceId);
    await directory.tombstone(other.manager, workspaceId, customer.customerId, 2);
    await timeline.eraseCustomer(other.manager, workspaceId, customer.customerId);

    await timeline.insertMany(db.manager, [inWorkspace(customer.event())]);
    await other.commitTransaction();

    expect(await itemsOf(customer.customerId)).toBe(1);
  });
});
