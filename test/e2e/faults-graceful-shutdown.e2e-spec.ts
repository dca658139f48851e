import { useOwnTopics } from '@test/support/own-topics';
import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { EventLoad, projectedExactlyOnce } from '@test/support/event-load';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { metricSum } from '@test/support/metrics-scrape';
import { RecordingReceiver } from '@test/support/recording-receiver';
import { slowPost } from '@test/support/slow-request';
import { createCustomer, sql } from './gateway-helpers';
import {
  committedOffsets,
  CustomerScript,
  eventsTopic,
  kafkaClient,
  type Position,
  TopicWriter,
} from './projector-fixtures';

const group = (name: string) => `faults-sigterm-${name}-${randomBytes(4).toString('hex')}`;

describe('fault: graceful shutdown (SIGTERM) under load', () => {
  let apiKey: string;
  let workspaceId: string;
  let admin: Admin;
  const writer = new TopicWriter();
  const running: AppProcess[] = [];
  let stopProduction = () => Promise.resolve();
  const start = async (...args: Parameters<typeof AppProcess.start>) => {
    const app = await AppProcess.start(...args);
    running.push(app);
    return app;
  };

  beforeAll(async () => {
    await useOwnTopics('faults-graceful-shutdown');
    admin = kafkaClient('faults-sigterm').admin();
    [{ apiKey, workspaceId }] = await Promise.all([createApiKey(), admin.connect(), writer.connect()]);
  });

  // Every projector writes the same read model: none may outlive its test, or it would blur the next one's.
  afterEach(async () => {
    await stopProduction();
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), writer.disconnect()]);
  });

  it('gateway: requests in flight when SIGTERM arrives are answered, it exits 0, and what it acknowledged is projected once', async () => {
    const projectorGroup = group('gw-projector');
    const [gateway] = await Promise.all([
      start('gateway'),
      start('projector', { PROJECTOR_GROUP_ID: projectorGroup, DATABASE_POOL_SIZE: '4' }),
    ]);
    const customers: Array<{ id: string; externalId: string }> = [];
    for (let i = 0; i < 4; i++) customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
    const load = new EventLoad({ gatewayUrl: () => gateway.url, apiKey, customers, concurrency: 4 }).start();
    await sleep(2000);

    // Requests the gateway has received and is still reading when the signal comes: a single event and a batch.
    const slowMarkers = ['slow-single', 'slow-batch'].map((m) => `${m}-${randomBytes(3).toString('hex')}`);
    const headers = { 'x-api-key': apiKey };
    const inFlight = [
      slowPost(`${gateway.url}/api/v1/customer-events`, headers, {
        customerExternalId: customers[0].externalId,
        type: 'load.tick',
        payload: { marker: slowMarkers[0] },
      }),
      slowPost(`${gateway.url}/api/v1/customer-events/batch`, headers, {
        events: Array.from({ length: 200 }, (_, n) => ({
          customerExternalId: customers[n % customers.length].externalId,
          type: 'load.tick',
          payload: { marker: `${slowMarkers[1]}-${n}` },
        })),
      }),
    ];
    await sleep(500);
    const signalledAt = Date.now();
    // One signal only: a second SIGTERM would skip the graceful path, by design (as a second Ctrl-C does).
    const exited = gateway.stop('SIGTERM');
    await sleep(300);
    for (const slow of inFlight) slow.finish();
    const [single, batch] = await Promise.all(inFlight.map((slow) => slow.response));
    const exitCode = await exited;
    await load.stop();

    expect(exitCode).toBe(0);
    expect(single.status).toBe(201);
    expect(batch.status).toBe(200);
    expect(batch.body.data).toMatchObject({ accepted: 200, rejected: 0 });
    // Everything sent before the signal got its answer (no reset connection); after it, 2xx or a refusal.
    const before = load.outcomes.filter((o) => o.sentAt < signalledAt);
    expect(before.filter((o) => o.status !== 201)).toEqual([]);
    expect(load.outcomes.filter((o) => ![201, 503, 0].includes(o.status))).toEqual([]);

    const accepted = new Set([
      ...load.acceptedMarkers(),
      slowMarkers[0],
      ...Array.from({ length: 200 }, (_, n) => `${slowMarkers[1]}-${n}`),
    ]);
    const refused = load.outcomes.filter((o) => o.status === 503).map((o) => o.marker);
    await projectedExactlyOnce(
      customers.map((c) => c.id),
      accepted,
      refused,
      60_000,
      500,
    );
    process.stdout.write(
      `faults-graceful-shutdown (gateway): ${before.length} requests before SIGTERM all answered 201, ` +
        `${load.outcomes.length - before.length} after it (${load.accepted.length - before.length} accepted), ` +
        `in-flight single + 200-event batch answered ${single.status}/${batch.status}\n`,
    );
  });

  it('projector: the batch in hand is written and committed together, and a restart reprocesses nothing', async () => {
    const groupId = group('projector');
    const env = { PROJECTOR_GROUP_ID: groupId, DATABASE_POOL_SIZE: '4' };
    let projector = await start('projector', env);
    const customers = Array.from({ length: 9 }, () => new CustomerScript(workspaceId));
    await writer.changes(...customers.map((c) => c.created()));
    const produced: Array<{ id: string; customerId: string } & Position> = [];
    let producing = true;
    const production = (async () => {
      for (let round = 0; producing; round++) {
        const customer = customers[round % customers.length];
        const events = Array.from({ length: 20 }, () => customer.event('load.tick'));
        const positions = await writer.events(...events);
        events.forEach((e, i) => produced.push({ id: e.id, customerId: e.customerId, ...positions[i] }));
        await sleep(10);
      }
    })();
    stopProduction = () => {
      producing = false;
      return production;
    };
    const rowsOf = async () =>
      new Set(
        (
          await sql<{ id: string }>(
            "SELECT id FROM timeline_items WHERE customer_id = ANY($1) AND type = 'load.tick'",
            [customers.map((c) => c.customerId)],
          )
        ).map((r) => r.id),
      );
    await eventually(async () => expect((await rowsOf()).size).toBeGreaterThan(200), 60_000, 200);

    expect(await projector.stop('SIGTERM')).toBe(0);
    // With the only member gone, the read model and the committed offsets must agree exactly: a message is
    // projected if and only if its offset is below the committed one. Nothing written and left uncommitted
    // (it would be applied again), nothing committed and not written (it would be lost).
    const committed = await committedOffsets(admin, groupId, eventsTopic());
    const rows = await rowsOf();
    const snapshot = [...produced];
    const below = (p: Position) => p.offset < committed.get(p.partition)!;
    expect({
      writtenNotCommitted: snapshot.filter((p) => rows.has(p.id) && !below(p)).length,
      committedNotWritten: snapshot.filter((p) => !rows.has(p.id) && below(p)).length,
      committed: [...committed].map(([p, o]) => `${p}:${o}`),
      maxWritten: [0, 1, 2].map((part) =>
        Math.max(
          -1,
          ...snapshot.filter((p) => p.partition === part && rows.has(p.id)).map((p) => Number(p.offset)),
        ),
      ),
    }).toMatchObject({ writtenNotCommitted: 0, committedNotWritten: 0 });
    expect(snapshot.filter((p) => !rows.has(p.id)).length).toBeGreaterThan(0);

    projector = await start('projector', env);
    await sleep(2000);
    await stopProduction();
    await eventually(
      async () => {
        const now = await rowsOf();
        expect(produced.filter((p) => !now.has(p.id))).toEqual([]);
        const ends = await admin.fetchTopicOffsets(eventsTopic());
        const after = await committedOffsets(admin, groupId, eventsTopic());
        expect(ends.map((e) => after.get(e.partition))).toEqual(ends.map((e) => BigInt(e.high)));
      },
      60_000,
      500,
    );
    // The restarted process applied exactly the messages beyond the commit point, each once.
    const ends = await admin.fetchTopicOffsets(eventsTopic());
    const remaining = ends.reduce((sum, e) => sum + Number(BigInt(e.high) - committed.get(e.partition)!), 0);
    const applied = await metricSum(projector.url, 'consumer_messages_total', {
      group: groupId,
      topic: eventsTopic(),
    });
    expect(applied).toBe(remaining);
    expect((await rowsOf()).size).toBe(produced.length);
    process.stdout.write(
      `faults-graceful-shutdown (projector): ${snapshot.length} produced at SIGTERM, ${rows.size} projected and ` +
        `committed; the restart applied ${applied} messages, exactly those after the commit point\n`,
    );
  });

  it('dispatcher: attempts in flight finish and are recorded before it exits 0; the restart sends nothing twice', async () => {
    const receiver = await RecordingReceiver.start({ holdMs: [600, 1000] });
    try {
      const env = { DISPATCHER_GROUP_ID: group('dispatcher'), DATABASE_POOL_SIZE: '4' };
      const [gateway, first] = await Promise.all([start('gateway'), start('webhook-dispatcher', env)]);
      const target = await request(first.url, 'POST', '/api/v1/webhook-targets', {
        apiKey,
        body: { url: receiver.url('/sigterm'), eventTypes: ['customer.customer_created'] },
      });
      expect(target.status).toBe(201);
      for (let i = 0; i < 20; i++) await createCustomer(gateway.url, apiKey, uniqueExternalId());
      await eventually(() =>
        expect(receiver.attempts.filter((a) => a.endedAt === undefined).length).toBeGreaterThan(0),
      );

      expect(await first.stop('SIGTERM')).toBe(0);
      const unfinished = await sql(
        `SELECT a.id, a.outcome FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.target_id = $1 AND (a.outcome IS NULL OR a.outcome = 'lost')`,
        [target.body.data.id],
      );
      expect(unfinished).toEqual([]);
      expect(receiver.attempts.every((a) => a.endedAt !== undefined)).toBe(true);

      await start('webhook-dispatcher', env);
      await eventually(() => expect(receiver.delivered().size).toBe(20), 60_000, 250);
      expect(receiver.violations()).toEqual({ notConsecutive: [], concurrent: [], afterSuccess: [] });
      expect(receiver.attempts).toHaveLength(20);
    } finally {
      await receiver.close();
    }
  });
});
