import type { DataSource } from 'typeorm';
import { newId, parseWorkspaceId } from '@app/contracts';
import { CustomerScript } from '@test/e2e/projector-fixtures';
import { openTestDataSource } from '@test/support/test-database';
import { TimelineRepository } from './timeline.repository';

describe('TimelineRepository.page against the real database', () => {
  let db: DataSource;
  let sut: TimelineRepository;

  beforeAll(async () => {
    db = await openTestDataSource('timeline-page-spec', 4);
    sut = new TimelineRepository(db);
  });

  afterAll(() => db.destroy());

  /** A customer in the directory with events of `types`, an hour apart, and its creation as an item (now). */
  const customerWith = async (types: string[]) => {
    const customer = new CustomerScript(newId('w'));
    const created = customer.created();
    const events = types.map((type, n) =>
      customer.event(type, { occurredAt: new Date(Date.UTC(2026, 3, 1, n)).toISOString() }),
    );
    // Written as the projection writes them (its own tests cover how it gets there).
    await db.query(
      `INSERT INTO customer_directory (customer_id, workspace_id, external_id, customer, version, updated_at)
       VALUES ($1, $2, $3, $4, 1, now())`,
      [customer.customerId, customer.workspaceId, customer.externalId, JSON.stringify(created.customer)],
    );
    for (const item of [{ ...created, title: null, payload: {} }, ...events])
      await db.query(
        `INSERT INTO timeline_items (id, workspace_id, customer_id, type, title, payload, occurred_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [
          item.id,
          customer.workspaceId,
          customer.customerId,
          item.type,
          item.title ?? null,
          JSON.stringify(item.payload),
          item.occurredAt,
        ],
      );
    return { customer, workspaceId: parseWorkspaceId(customer.workspaceId), events };
  };

  it("reads a customer's page by externalId, newest first, with every filter and the cursor", async () => {
    const { customer, workspaceId, events } = await customerWith(['a', 'b', 'a', 'c', 'a']);
    const scope = { workspaceId, externalId: customer.externalId };
    const ids = (items: Array<{ id: string }> | undefined) => items?.map((i) => i.id);

    expect(ids(await sut.page({ ...scope, limit: 10 }))).toEqual(
      // The customer's creation is an item too, at its own time (now, so the newest).
      [expect.any(String), ...events.map((e) => e.id).reverse()],
    );
    expect(ids(await sut.page({ ...scope, limit: 10, types: ['a'] }))).toEqual(
      [events[4], events[2], events[0]].map((e) => e.id),
    );
    expect(ids(await sut.page({ ...scope, limit: 10, types: ['a', 'b'], excludeTypes: ['b'] }))).toEqual(
      [events[4], events[2], events[0]].map((e) => e.id),
    );
    const from = events[1].occurredAt;
    const to = events[4].occurredAt;
    expect(ids(await sut.page({ ...scope, limit: 10, from, to }))).toEqual(
      [events[3], events[2], events[1]].map((e) => e.id),
    );
    const after = { occurredAt: events[3].occurredAt, id: events[3].id };
    expect(ids(await sut.page({ ...scope, limit: 2, after, types: ['a'] }))).toEqual(
      [events[2], events[0]].map((e) => e.id),
    );
    const [newest] = (await sut.page({ ...scope, limit: 1, types: ['c'] }))!;
    expect(newest).toEqual({
      id: events[3].id,
      type: 'c',
      title: events[3].title ?? null,
      payload: events[3].payload,
      occurredAt: events[3].occurredAt,
      createdAt: events[3].occurredAt,
    });
  });

  it('answers an empty page for a known customer with nothing in it, and undefined for an unknown one', async () => {
    const { customer, workspaceId } = await customerWith(['a']);
    expect(await sut.page({ workspaceId, externalId: customer.externalId, limit: 10, types: ['z'] })).toEqual(
      [],
    );
    expect(await sut.page({ workspaceId, externalId: 'user_never_seen', limit: 10 })).toBeUndefined();
    // Another workspace's customer of the same externalId is not this one.
    const elsewhere = parseWorkspaceId(newId('w'));
    expect(
      await sut.page({ workspaceId: elsewhere, externalId: customer.externalId, limit: 10 }),
    ).toBeUndefined();
  });
});
