import type { DataSource } from 'typeorm';
import { type CustomerEventMessage, newId } from '@app/contracts';
import { PgListener } from '@app/database';
import { consumedRecords } from '@test/support/consumed-records';
import { eventually } from '@test/support/eventually';
import { CustomerScript } from '@test/e2e/projector-fixtures';
import { projectionHandlers } from './projection-handlers';
import { LIVE_TABLES, REBUILD_TABLES } from './read-model-tables';
import { type LandedItems, parseTimelineNotification, TIMELINE_CHANNEL } from './timeline-channel';
import { openTestDataSource } from '@test/support/test-database';

const records = (values: CustomerEventMessage[]) => consumedRecords(...values);

describe('timeline announcements: what the projection NOTIFYs for live streams, against the real database', () => {
  let db: DataSource;
  let listener: PgListener;
  const heard: LandedItems[] = [];

  beforeAll(async () => {
    db = await openTestDataSource('live-spec');
    listener = new PgListener({
      url: process.env.DATABASE_URL!,
      channels: [TIMELINE_CHANNEL],
      applicationName: 'live-spec-listener',
      onNotification: (_, payload) => heard.push(parseTimelineNotification(payload)!),
    });
    listener.start();
    await eventually(() => expect(listener.connected).toBe(true));
  });

  afterAll(async () => {
    await listener.stop();
    await db.destroy();
  });

  const heardFor = (customer: CustomerScript) =>
    heard.filter((n) => n.streamKey === `${customer.workspaceId}:${customer.customerId}`);

  it("announces every item of a committed batch, per customer, in chunks that fit NOTIFY's payload", async () => {
    const [big, small] = [new CustomerScript(newId('w')), new CustomerScript(newId('w'))];
    const bigEvents = Array.from({ length: 250 }, () => big.event());
    const smallEvents = [small.event()];
    await projectionHandlers(db, LIVE_TABLES).events.apply(records([...bigEvents, ...smallEvents]));

    await eventually(() => expect(heardFor(big)).toHaveLength(3));
    expect(
      heardFor(big)
        .flatMap((n) => n.itemIds)
        .sort(),
    ).toEqual(bigEvents.map((e) => e.id).sort());
    await eventually(() =>
      expect(heardFor(small)).toEqual([expect.objectContaining({ itemIds: [smallEvents[0].id] })]),
    );
  });

  it('stays silent for a redelivered batch, which lands nothing new', async () => {
    const customer = new CustomerScript(newId('w'));
    const events = [customer.event(), customer.event()];
    const handlers = projectionHandlers(db, LIVE_TABLES);
    await handlers.events.apply(records(events));
    await eventually(() => expect(heardFor(customer)).toHaveLength(1));
    await handlers.events.apply(records(events));
    const marker = new CustomerScript(newId('w'));
    await handlers.events.apply(records([marker.event()]));
    await eventually(() => expect(heardFor(marker)).toHaveLength(1));
    expect(heardFor(customer)).toHaveLength(1);
  });

  it('stays silent while a rebuild writes its own copies of the tables', async () => {
    const customer = new CustomerScript(newId('w'));
    await db.query('CREATE TABLE IF NOT EXISTS timeline_items_rebuild (LIKE timeline_items INCLUDING ALL)');
    await db.query(
      'CREATE TABLE IF NOT EXISTS customer_tombstones_rebuild (LIKE customer_tombstones INCLUDING ALL)',
    );
    try {
      await projectionHandlers(db, REBUILD_TABLES).events.apply(records([customer.event()]));
      const marker = new CustomerScript(newId('w'));
      await projectionHandlers(db, LIVE_TABLES).events.apply(records([marker.event()]));
      await eventually(() => expect(heardFor(marker)).toHaveLength(1));
      expect(heardFor(customer)).toEqual([]);
    } finally {
      await db.query('DROP TABLE IF EXISTS timeline_items_rebuild, customer_tombstones_rebuild');
    }
  });
});
