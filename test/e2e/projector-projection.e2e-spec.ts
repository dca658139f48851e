import type { Admin, KafkaMessage } from 'kafkajs';
import { newId } from '@app/contracts';
import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import {
  committedOffsets,
  CustomerScript,
  eventsDlq,
  changesTopic,
  eventsTopic,
  kafkaClient,
  type Position,
  projectorGroup,
  readTopic,
  projectorWithKey,
  startProjector,
  timelineIdCounts,
  TopicWriter,
  withDatabase,
} from './projector-fixtures';

describe('projector: projection', () => {
  let projector: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  let admin: Admin;
  const writer = new TopicWriter();

  beforeAll(async () => {
    admin = kafkaClient().admin();
    ({ projector, apiKey, workspaceId } = await projectorWithKey(writer.connect(), admin.connect()));
  });

  afterAll(async () => {
    await Promise.all([writer.disconnect(), admin.disconnect()]);
    await projector?.stop();
  });

  const timeline = (externalId: string) =>
    request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline?limit=200`, { apiKey });

  /** Resolves once the projector's group has committed past every one of these positions. */
  const projectedPast = (topic: string, positions: Position[]) =>
    eventually(
      async () => {
        const committed = await committedOffsets(admin, projectorGroup(), topic);
        for (const { partition, offset } of positions) expect(committed.get(partition)! > offset).toBe(true);
      },
      30000,
      200,
    );

  it('projects a message delivered twice only once', async () => {
    const customer = new CustomerScript(workspaceId);
    const event = customer.event();
    await writer.changes(customer.created());
    await writer.events(event);
    const again = await writer.events(event);
    await projectedPast(eventsTopic(), again);

    expect((await timelineIdCounts(customer.customerId)).get(event.id)).toBe(1);
    const ids = (await timeline(customer.externalId)).body.data.items.map((i: { id: string }) => i.id);
    expect(ids.filter((id: string) => id === event.id)).toHaveLength(1);
  });

  it('commits a batch offset only after its rows are committed in the database', async () => {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created());
    await withDatabase(async (db) => {
      await db.query('BEGIN');
      await db.query('LOCK TABLE timeline_items IN EXCLUSIVE MODE');
      let positions: Position[];
      try {
        positions = await writer.events(customer.event());
        // The projector's insert is now waiting on the lock, inside its batch.
        await eventually(async () => {
          const { rows } = await db.query(
            `SELECT 1 FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'projector' AND wait_event_type = 'Lock'`,
          );
          expect(rows.length).toBeGreaterThan(0);
        });
        const committed = await committedOffsets(admin, projectorGroup(), eventsTopic());
        expect(committed.get(positions[0].partition)! <= positions[0].offset).toBe(true);
      } finally {
        await db.query('ROLLBACK');
      }
      await projectedPast(eventsTopic(), positions);
    });
    // The customer's creation and the event.
    expect(await timelineIdCounts(customer.customerId)).toHaveProperty('size', 2);
  });

  it('changes nothing when the group is restarted from the earliest offset', async () => {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created(), customer.renamed('Peter S.'));
    const positions = await writer.events(...Array.from({ length: 20 }, () => customer.event()));
    await projectedPast(eventsTopic(), positions);
    const snapshot = async () =>
      withDatabase(async (db) => ({
        timeline: (
          await db.query('SELECT * FROM timeline_items WHERE customer_id = $1 ORDER BY id', [
            customer.customerId,
          ])
        ).rows,
        directory: (
          await db.query('SELECT * FROM customer_directory WHERE customer_id = $1', [customer.customerId])
        ).rows,
      }));
    const before = await snapshot();
    expect(before.timeline).toHaveLength(22);

    expect(await projector.stop('SIGTERM')).toBe(0);
    for (const topic of [eventsTopic(), changesTopic()]) {
      await admin.resetOffsets({ groupId: projectorGroup(), topic, earliest: true });
    }
    projector = await startProjector();
    await eventually(
      async () => {
        for (const topic of [eventsTopic(), changesTopic()]) {
          const committed = await committedOffsets(admin, projectorGroup(), topic);
          for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
            if (high !== low)
              expect({ partition, committed: committed.get(partition) }).toEqual({
                partition,
                committed: BigInt(high),
              });
          }
        }
      },
      60000,
      250,
    );

    expect(await snapshot()).toEqual(before);
  });

  it("erases a deleted customer's timeline and directory entry, and its events in flight do not resurrect it", async () => {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created());
    await writer.events(customer.event(), customer.event());
    await eventually(async () =>
      expect((await timeline(customer.externalId)).body.data?.items).toHaveLength(3),
    );

    await writer.changes(customer.deleted());
    const late = await writer.events(customer.event('order.shipped'), customer.event('order.delivered'));
    await eventually(async () =>
      expect((await timeline(customer.externalId)).body.error?.code).toBe('CUSTOMER_NOT_FOUND'),
    );
    await projectedPast(eventsTopic(), late);

    expect(await timelineIdCounts(customer.customerId)).toHaveProperty('size', 0);
    const directory = await withDatabase(
      async (db) =>
        (await db.query('SELECT 1 FROM customer_directory WHERE customer_id = $1', [customer.customerId]))
          .rows,
    );
    expect(directory).toEqual([]);
  });

  it('sends messages it cannot project to the DLQ with the error in headers, and the partition moves on', async () => {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created());
    const key = customer.customerId;
    const malformedId = { ...customer.event(), id: 'cev_not-an-id' };
    const unknownWorkspace = { ...customer.event(), workspaceId: newId('w') };
    const nul = customer.event('order.placed', { payload: { note: 'a\u0000b' } });
    const good = customer.event('order.after_poison');
    await writer.raw(eventsTopic(), [
      { key, value: Buffer.from([0xff, 0xfe, 0x00]) },
      { key, value: JSON.stringify({ hello: 'world' }) },
      { key, value: JSON.stringify(malformedId) },
      { key, value: JSON.stringify(unknownWorkspace) },
      { key, value: JSON.stringify(nul) },
      { key, value: JSON.stringify(good) },
    ]);

    await eventually(async () =>
      expect(
        (await timeline(customer.externalId)).body.data.items.map((i: { id: string }) => i.id),
      ).toContain(good.id),
    );
    const mine = (all: KafkaMessage[]) => all.filter((m) => m.key?.toString() === key);
    // In the order of the source topic: a message refused while parsed reaches the DLQ before one refused
    // later in the batch (the unknown workspace).
    const sourceOffset = (m: KafkaMessage) => Number(String(m.headers?.['dlq-source-offset']));
    const dead = mine(await readTopic(eventsDlq(), (all) => mine(all).length >= 5)).sort(
      (a, b) => sourceOffset(a) - sourceOffset(b),
    );
    const headers = dead.map((m) =>
      Object.fromEntries(Object.entries(m.headers ?? {}).map(([name, value]) => [name, String(value)])),
    );
    expect(headers.map((h) => [h['dlq-error-type'], h['dlq-error-message']])).toEqual([
      ['contract-violation', expect.stringMatching(/JSON/)],
      ['contract-violation', expect.stringMatching(/must be/)],
      ['contract-violation', expect.stringMatching(/^id: must be a cev_ id/)],
      ['contract-violation', expect.stringMatching(/^workspaceId: .* not a known workspace/)],
      // The consumer applies the gateway's storable rule: a NUL is a contract violation, named by its path.
      ['contract-violation', expect.stringMatching(/^payload\.note: .*NUL/)],
    ]);
    for (const h of headers) {
      expect(h).toMatchObject({ 'dlq-source-topic': eventsTopic(), 'dlq-consumer-group': projectorGroup() });
      expect(h['dlq-source-offset']).toMatch(/^\d+$/);
    }
    expect(Buffer.compare(dead[0].value!, Buffer.from([0xff, 0xfe, 0x00]))).toBe(0);
    expect(await timelineIdCounts(customer.customerId)).toHaveProperty('size', 2);
  });
});
