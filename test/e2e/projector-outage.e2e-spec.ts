import { assertTestDatabase, databaseNameOf } from '@app/database';
import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import type { Admin } from 'kafkajs';
import {
  committedOffsets,
  CustomerScript,
  eventsTopic,
  kafkaClient,
  pageThrough,
  type Position,
  projectorGroup,
  projectorWithKey,
  timelineIdCounts,
  TopicWriter,
  withDatabase,
} from './projector-fixtures';

/**
 * The database goes away under a running projector: only this run's own `_test` database is closed to new
 * connections and its sessions cut; the shared PostgreSQL server keeps running for everyone else.
 */
describe('projector: a database outage', () => {
  let projector: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  let admin: Admin;
  const writer = new TopicWriter();
  const database = databaseNameOf(process.env.DATABASE_URL!);
  const serverUrl = (() => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/postgres';
    return url.toString();
  })();
  const quoted = `"${database.replace(/"/g, '""')}"`;
  /** Batches the projector tried to apply and could not (one log line each). */
  const failedBatches = () =>
    projector.logs
      .split('\n')
      .filter((line) => line.includes('not currently accepting connections') && line.includes('"offset"'))
      .length;

  const setConnections = (allowed: boolean) =>
    withDatabase(async (server) => {
      await server.query(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS ${allowed}`);
      if (!allowed) {
        await server.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
      }
    }, serverUrl);

  beforeAll(async () => {
    assertTestDatabase(process.env.DATABASE_URL!);
    admin = kafkaClient().admin();
    ({ projector, apiKey, workspaceId } = await projectorWithKey(writer.connect(), admin.connect()));
  });

  afterAll(async () => {
    await setConnections(true);
    await Promise.all([writer.disconnect(), admin.disconnect()]);
    await projector?.stop();
  });

  it('pauses while PostgreSQL is unreachable and then projects every event produced meanwhile, exactly once', async () => {
    const customer = new CustomerScript(workspaceId);
    const before = Array.from({ length: 50 }, () => customer.event());
    await writer.changes(customer.created());
    await writer.events(...before);
    const timeline = (cursor?: string) =>
      request(
        projector.url,
        'GET',
        `/api/v1/customers/${customer.externalId}/timeline?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        {
          apiKey,
        },
      );
    await eventually(async () => expect(await pageThrough(timeline)).toHaveLength(51));

    const during = Array.from({ length: 200 }, () => customer.event());
    try {
      await setConnections(false);
      const positions: Position[] = [];
      for (let i = 0; i < during.length; i += 20)
        positions.push(...(await writer.events(...during.slice(i, i + 20))));
      // It has tried to project them, failed and backed off a few times, and committed none of them.
      await eventually(() => expect(failedBatches()).toBeGreaterThanOrEqual(4), 30000, 250);
      const committed = await committedOffsets(admin, projectorGroup(), eventsTopic());
      expect(committed.get(positions[0].partition)! <= positions[0].offset).toBe(true);
      // The projector has noticed: its readiness check fails and the API answers 503, not 500.
      await eventually(
        async () => expect((await request(projector.url, 'GET', '/health/ready')).status).not.toBe(200),
        30000,
        250,
      );
      expect((await timeline()).status).toBe(503);
    } finally {
      await setConnections(true);
    }

    await eventually(async () => expect(await pageThrough(timeline)).toHaveLength(251), 90000, 500);
    const counts = await timelineIdCounts(customer.customerId);
    for (const event of [...before, ...during]) expect(counts.get(event.id)).toBe(1);
    expect(counts.size).toBe(251);
  });
});
