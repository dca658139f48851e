import type { DataSource } from 'typeorm';
import { type CustomerChangeMessage, type CustomerEventMessage, newId } from '@app/contracts';
import { joinedBatches } from '@app/kafka';
import { CustomerScript } from '@test/e2e/projector-fixtures';
import { consumedRecords as records } from '@test/support/consumed-records';
import { openTestDataSource } from '@test/support/test-database';
import { projectionHandlers } from './projection-handlers';
import { LIVE_TABLES } from './read-model-tables';

describe('projection handlers against the real database', () => {
  let db: DataSource;
  let sut: ReturnType<typeof projectionHandlers>;

  beforeAll(async () => {
    db = await openTestDataSource('projector-spec', 4);
    sut = projectionHandlers(db, LIVE_TABLES);
  });

  afterAll(() => db.destroy());

  const timelineOf = async (customerId: string) =>
    db.query<Array<{ id: string; occurred_at: Date }>>(
      'SELECT id, occurred_at FROM timeline_items WHERE customer_id = $1 ORDER BY id',
      [customerId],
    );
  const directoryOf = async (customerId: string) =>
    db.query<Array<{ external_id: string; version: number; customer: { fullName: string } }>>(
      'SELECT external_id, version, customer FROM customer_directory WHERE customer_id = $1',
      [customerId],
    );

  it('writes a batch delivered twice only once', async () => {
    const customer = new CustomerScript(newId('w'));
    const events = Array.from({ length: 50 }, () => customer.event());
    await sut.events.apply(records(...events));
    await sut.events.apply(records(...events, ...events));
    const rows = await timelineOf(customer.customerId);
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id).sort());
  });

  it('keeps the directory at the newest version when changes are redelivered out of order', async () => {
    const customer = new CustomerScript(newId('w'));
    const created = customer.created();
    const renamed = customer.renamed('Peter S.');
    await sut.changes.apply(records(created, renamed));
    await sut.changes.apply(records(created));
    expect(await directoryOf(customer.customerId)).toEqual([
      {
        external_id: customer.externalId,
        version: 2,
        customer: expect.objectContaining({ fullName: 'Peter S.' }),
      },
    ]);
    expect((await timelineOf(customer.customerId)).map((r) => r.id)).toEqual([created.id, renamed.id].sort());
  });

  it("erases a deleted customer's timeline and directory entry, and late events or changes do not bring it back", async () => {
    const customer = new CustomerScript(newId('w'));
    const created = customer.created();
    await sut.changes.apply(records(created));
    await sut.events.apply(records(customer.event(), customer.event()));
    await sut.changes.apply(records(customer.deleted()));
    expect(await timelineOf(customer.customerId)).toEqual([]);

    await sut.events.apply(records(customer.event('order.shipped')));
    await sut.changes.apply(records(created));
    expect(await timelineOf(customer.customerId)).toEqual([]);
    expect(await directoryOf(customer.customerId)).toEqual([]);
  });

  it('applies a batch mixing customers, a deletion and a re-creation under the same externalId in offset order', async () => {
    const w = newId('w');
    const old = new CustomerScript(w);
    const other = new CustomerScript(w);
    await sut.changes.apply(records(old.created()));
    const recreated = new CustomerScript(w, old.externalId);
    const batch = [
      other.created(),
      old.renamed('Old Name'),
      old.deleted(),
      recreated.created(),
      other.renamed('Other v2'),
      recreated.renamed('New v2'),
      other.renamed('Other v3'),
    ];
    await sut.changes.apply(records(...batch));
    expect(await directoryOf(old.customerId)).toEqual([]);
    expect(await timelineOf(old.customerId)).toEqual([]);
    expect(await directoryOf(recreated.customerId)).toEqual([
      { external_id: old.externalId, version: 2, customer: expect.objectContaining({ fullName: 'New v2' }) },
    ]);
    expect(await directoryOf(other.customerId)).toEqual([
      {
        external_id: other.externalId,
        version: 3,
        customer: expect.objectContaining({ fullName: 'Other v3' }),
      },
    ]);
    expect((await timelineOf(other.customerId)).map((r) => r.id)).toHaveLength(3);
    expect((await timelineOf(recreated.customerId)).map((r) => r.id)).toHaveLength(2);
  });

  it('stores times to the millisecond, the precision of the API and its cursor', async () => {
    const customer = new CustomerScript(newId('w'));
    await sut.events.apply(
      records(customer.event('order.placed', { occurredAt: '2026-04-18T10:00:00.123456Z' })),
    );
    const [row] = await timelineOf(customer.customerId);
    expect(row.occurred_at.toISOString()).toBe('2026-04-18T10:00:00.123Z');
  });

  it.each([
    ['the newer one arrives first', true],
    ['the older one arrives first', false],
  ])(
    'gives an externalId to the newest customer holding it when %s (a rebuild reads partitions in any order)',
    async (_, newerFirst) => {
      const workspaceId = newId('w');
      // ULIDs made in the same millisecond do not sort by creation: order them explicitly.
      const [olderId, newerId] = [newId('c'), newId('c')].sort();
      const older = new CustomerScript(workspaceId, 'user_reused', olderId);
      const newer = new CustomerScript(workspaceId, 'user_reused', newerId);
      const messages: CustomerChangeMessage[] = [older.created(), newer.created()];
      if (newerFirst) messages.reverse();
      for (const message of messages) await sut.changes.apply(records(message));
      expect(await directoryOf(older.customerId)).toEqual([]);
      expect(await directoryOf(newer.customerId)).toHaveLength(1);
    },
  );

  it('sends nothing to the DLQ for ordinary redeliveries: apply never fails on duplicates', async () => {
    const customer = new CustomerScript(newId('w'));
    const event: CustomerEventMessage = customer.event();
    await expect(sut.events.apply(records(event, event, event))).resolves.toBeUndefined();
  });

  it("applies batches handed over together, and when one batch's data is refused only that batch fails", async () => {
    const events = joinedBatches(sut.events);
    const customers = [0, 1, 2].map(() => new CustomerScript(newId('w')));
    const fine = customers.map((c) => [c.event(), c.event()]);
    await Promise.all(fine.map((batch) => events.apply(records(...batch))));
    for (const [n, c] of customers.entries())
      expect((await timelineOf(c.customerId)).map((r) => r.id)).toEqual(fine[n].map((e) => e.id).sort());

    const next = customers.map((c) => c.event());
    // Past the parse, as a handler may meet it: PostgreSQL refuses the time (a data error, so permanent).
    const refused = { ...customers[1].event(), occurredAt: 'the day after tomorrow' };
    const outcomes = await Promise.allSettled([
      events.apply(records(next[0])),
      events.apply(records(next[1], refused)),
      events.apply(records(next[2])),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(events.isPermanentError!((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    expect((await timelineOf(customers[0].customerId)).map((r) => r.id)).toContain(next[0].id);
    expect((await timelineOf(customers[1].customerId)).map((r) => r.id)).not.toContain(next[1].id);
    expect((await timelineOf(customers[2].customerId)).map((r) => r.id)).toContain(next[2].id);
  });
});
