import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { newId } from '@app/contracts';
import { KafkaPublisher } from '@app/kafka';
import { createApiKey } from '@test/support/fixtures';
import {
  changesTopic,
  CustomerScript,
  eventsTopic,
  kafkaClient,
  TopicWriter,
} from '@test/e2e/projector-fixtures';
import { ReadModelRebuild } from './read-model-rebuild';
import { openTestDataSource } from '@test/support/test-database';

describe(`${ReadModelRebuild.name} from the real topics`, () => {
  let db: DataSource;
  let kafka: Kafka;
  let publisher: KafkaPublisher;
  const writer = new TopicWriter();

  beforeAll(async () => {
    db = await openTestDataSource('rebuild-spec', 6);
    kafka = kafkaClient('rebuild-spec');
    publisher = new KafkaPublisher(kafka, { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 });
    await writer.connect();
  });

  afterAll(async () => {
    await writer.disconnect();
    await publisher.onApplicationShutdown();
    await db.destroy();
  });

  const rebuild = () =>
    new ReadModelRebuild(db, kafka, publisher, {
      eventsTopic: eventsTopic(),
      changesTopic: changesTopic(),
      groupId: `rebuild-spec-${newId('w')}`,
    }).run();

  it('replaces read models that drifted from the topics with what the topics say', async () => {
    const { workspaceId } = await createApiKey();
    const kept = new CustomerScript(workspaceId);
    const gone = new CustomerScript(workspaceId);
    const keptEvents = Array.from({ length: 30 }, () => kept.event());
    await writer.changes(kept.created(), gone.created());
    await writer.events(...keptEvents, gone.event());
    await writer.changes(gone.deleted());
    await writer.events(gone.event('order.after_delete'));
    // Drift: a stray row the topics never carried, and a customer missing from the directory.
    await db.query(
      `INSERT INTO timeline_items (id, workspace_id, customer_id, type, payload, occurred_at, created_at)
       VALUES ($1, $2, $3, 'stray', '{}', now(), now())`,
      [newId('cev'), workspaceId, kept.customerId],
    );

    const report = await rebuild();

    expect(report.swapAttempts).toBe(1);
    const items: Array<{ id: string }> = await db.query(
      'SELECT id FROM timeline_items WHERE customer_id = $1 AND type <> $2',
      [kept.customerId, 'customer.customer_created'],
    );
    expect(items.map((i) => i.id).sort()).toEqual(keptEvents.map((e) => e.id).sort());
    expect(
      await db.query('SELECT count(*)::int AS n FROM timeline_items WHERE type = $1', ['stray']),
    ).toEqual([{ n: 0 }]);
    expect(
      await db.query('SELECT external_id FROM customer_directory WHERE customer_id = $1', [kept.customerId]),
    ).toEqual([{ external_id: kept.externalId }]);
    expect(
      await db.query('SELECT count(*)::int AS n FROM timeline_items WHERE customer_id = $1', [
        gone.customerId,
      ]),
    ).toEqual([{ n: 0 }]);
    expect(
      await db.query('SELECT count(*)::int AS n FROM customer_tombstones WHERE customer_id = $1', [
        gone.customerId,
      ]),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses to start while another rebuild holds the database', async () => {
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::int, -1)', [0x70726a01]);
      await expect(rebuild()).rejects.toThrow('Another projector rebuild is running');
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1::int, -1)', [0x70726a01]);
      await holder.release();
    }
  });
});
