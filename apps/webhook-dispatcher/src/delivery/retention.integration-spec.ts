import type { DataSource } from 'typeorm';
import { newId } from '@app/contracts';
import { RetentionRepository } from './retention.repository';
import { openTestDataSource } from '@test/support/test-database';

describe('webhook retention (WEBHOOK_RETENTION_DAYS)', () => {
  let db: DataSource;
  let retention: RetentionRepository;
  let workspaceId: string;
  let targetId: string;

  beforeAll(async () => {
    db = await openTestDataSource('retention-it');
    retention = new RetentionRepository(db);
    workspaceId = newId('w');
    targetId = newId('whTarget');
    await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $1)', [workspaceId]);
    await db.query(
      `INSERT INTO webhook_targets (id, workspace_id, url, version, event_types, secret_encrypted)
       VALUES ($1, $2, 'http://127.0.0.1:9/hook', '2024-09-18', '{customer.customer_updated}', '\\x00')`,
      [targetId, workspaceId],
    );
  });

  afterAll(async () => {
    await db?.destroy();
  });

  /** An event received `ageDays` ago, with one delivery in `status` last updated then (or none). */
  async function delivery(ageDays: number, status: string | null) {
    const eventId = newId('pEv');
    await db.query(
      `INSERT INTO webhook_events (id, workspace_id, type, message, occurred_at, received_at)
       VALUES ($1, $2, 'customer.customer_updated', '{}', now(), now() - $3 * interval '1 day')`,
      [eventId, workspaceId, ageDays],
    );
    if (status === null) return { eventId, deliveryId: undefined };
    const deliveryId = newId('whDelivery');
    await db.query(
      `INSERT INTO webhook_deliveries (id, workspace_id, target_id, event_id, event_type, status, next_attempt_at,
                                       created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'customer.customer_updated', $5, now(),
               now() - $6 * interval '1 day', now() - $6 * interval '1 day')`,
      [deliveryId, workspaceId, targetId, eventId, status, ageDays],
    );
    await db.query(
      `INSERT INTO webhook_attempts (id, delivery_id, attempt_number, manual, target_version, started_at)
       VALUES ($1, $2, 1, false, '2024-09-18', now() - $3 * interval '1 day')`,
      [newId('whAttempt'), deliveryId, ageDays],
    );
    return { eventId, deliveryId };
  }

  const exists = async (table: string, id: string) =>
    (await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;

  it('deletes finished deliveries past the retention with their attempts and events, and nothing else', async () => {
    const oldSucceeded = await delivery(31, 'succeeded');
    const oldFailed = await delivery(40, 'failed');
    const oldPending = await delivery(45, 'pending'); // still being retried: kept, event included
    const oldInProgress = await delivery(45, 'in_progress');
    const recentSucceeded = await delivery(29, 'succeeded');
    const oldOrphanEvent = await delivery(31, null); // no target wanted it
    const recentOrphanEvent = await delivery(1, null);

    const purged = await retention.purgeAcrossWorkspaces(30);
    expect(purged.deliveries).toBeGreaterThanOrEqual(2);
    expect(purged.events).toBeGreaterThanOrEqual(3);

    for (const gone of [oldSucceeded, oldFailed]) {
      expect(await exists('webhook_deliveries', gone.deliveryId!)).toBe(false);
      expect(await exists('webhook_events', gone.eventId)).toBe(false);
      const attempts = await db.query('SELECT 1 FROM webhook_attempts WHERE delivery_id = $1', [
        gone.deliveryId,
      ]);
      expect(attempts).toEqual([]);
    }
    expect(await exists('webhook_events', oldOrphanEvent.eventId)).toBe(false);
    for (const kept of [oldPending, oldInProgress, recentSucceeded]) {
      expect(await exists('webhook_deliveries', kept.deliveryId!)).toBe(true);
      expect(await exists('webhook_events', kept.eventId)).toBe(true);
    }
    expect(await exists('webhook_events', recentOrphanEvent.eventId)).toBe(true);

    // A second purge finds nothing more to do.
    expect(await retention.purgeAcrossWorkspaces(30)).toEqual({ deliveries: 0, events: 0 });
  });
});
