import { randomBytes } from 'node:crypto';
import { newId } from '@app/contracts';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { DatabaseOutage } from '@test/support/database-outage';
import { eventually, sleep } from '@test/support/eventually';
import { EventLoad, projectedExactlyOnce } from '@test/support/event-load';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { RecordingReceiver } from '@test/support/recording-receiver';
import { createCustomer, sql } from './gateway-helpers';
import { TopicWriter } from './projector-fixtures';
import { useOwnTopics } from '@test/support/own-topics';

const OUTAGE_MS = 5000;

/**
 * PostgreSQL "restarts" under the running apps: the run's own `_test` database refuses connections and every
 * session to it is cut, for a few seconds (the shared server itself is never touched).
 */
describe('fault: PostgreSQL restarts under load', () => {
  const outage = new DatabaseOutage();
  const running: AppProcess[] = [];
  let apiKey: string;
  let workspaceId: string;
  const writer = new TopicWriter();
  const start = async (...args: Parameters<typeof AppProcess.start>) => {
    const app = await AppProcess.start(...args);
    running.push(app);
    return app;
  };

  beforeAll(async () => {
    await useOwnTopics('faults-postgres-restart');
    [{ apiKey, workspaceId }] = await Promise.all([createApiKey(), writer.connect()]);
  });

  afterAll(async () => {
    await writer.disconnect();
  });

  afterEach(async () => {
    await outage.end();
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  /** Cuts the database for OUTAGE_MS (running `during` meanwhile), then restores it; returns when it was down. */
  async function withOutage(during: () => Promise<void> = () => Promise.resolve()) {
    await outage.begin();
    const from = Date.now();
    await Promise.all([during(), sleep(OUTAGE_MS)]);
    const to = Date.now();
    await outage.end();
    return { from, to };
  }

  it('projection pauses and resumes: every acknowledged event is projected exactly once, the projector never restarts', async () => {
    const [gateway, projector] = await Promise.all([
      start('gateway'),
      start('projector', {
        PROJECTOR_GROUP_ID: `faults-pg-${randomBytes(4).toString('hex')}`,
        DATABASE_POOL_SIZE: '4',
      }),
    ]);
    const customers: Array<{ id: string; externalId: string }> = [];
    for (let i = 0; i < 6; i++) customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
    const load = new EventLoad({
      gatewayUrl: () => gateway.url,
      apiKey,
      customers,
      concurrency: 3,
      pauseMs: 10,
    }).start();
    await sleep(3000);
    // The gateway cannot accept events without the database (it answers 503), so the projector is also given
    // a backlog straight on the topic while the database is down: events of the gateway's shape, acks=all.
    const direct: string[] = [];
    const window = await withOutage(async () => {
      const customer = customers[0];
      for (let i = 0; i < 10; i++) {
        const events = Array.from({ length: 20 }, (_, n) => ({
          id: newId('cev'),
          workspaceId,
          customerId: customer.id,
          customerExternalId: customer.externalId,
          type: 'load.tick',
          title: null,
          payload: { marker: `direct-${i}-${n}-${randomBytes(3).toString('hex')}` },
          occurredAt: new Date().toISOString(),
          createdAt: new Date().toISOString(),
        }));
        await writer.events(...events);
        direct.push(...events.map((e) => e.payload.marker));
      }
    });
    await sleep(4000);
    await load.stop();

    // The gateway answered 201 or 503 throughout (no 500, no dropped connection), and served again after.
    expect(load.outcomes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
    expect(
      load.outcomes.filter((o) => o.sentAt > window.to + 2000 && o.status === 201).length,
    ).toBeGreaterThan(0);
    // The projector noticed (readiness), then recovered by itself.
    await eventually(
      async () => expect((await request(projector.url, 'GET', '/health/ready')).status).toBe(200),
      60_000,
      500,
    );
    const accepted = new Set([...load.acceptedMarkers(), ...direct]);
    const refused = load.outcomes.filter((o) => o.status === 503).map((o) => o.marker);
    await projectedExactlyOnce(
      customers.map((c) => c.id),
      accepted,
      refused,
      90_000,
      1000,
    );
    expect(projector.child.exitCode).toBeNull();
    const duringOutage = load.accepted.filter(
      (o) => o.sentAt >= window.from && o.answeredAt <= window.to,
    ).length;
    process.stdout.write(
      `faults-postgres-restart (projection): ${load.accepted.length} events acknowledged by the gateway ` +
        `(${duringOutage} during the outage), ${refused.length} answered 503, ${direct.length} written to the ` +
        `topic during the outage; all ${accepted.size} projected once after it\n`,
    );
  });

  it('webhook scheduling pauses and resumes: every change reaches every target, attempt numbers never repeat', async () => {
    const receiver = await RecordingReceiver.start({ holdMs: [5, 50] });
    try {
      const [gateway, dispatcher] = await Promise.all([
        start('gateway'),
        start('webhook-dispatcher', {
          DISPATCHER_GROUP_ID: `faults-pg-${randomBytes(4).toString('hex')}`,
          DATABASE_POOL_SIZE: '4',
          // An attempt whose result could not be recorded is taken over when its lease (timeout + 30 s) ends.
          WEBHOOK_TIMEOUT_MS: '2000',
          WEBHOOK_RETRY_SCHEDULE: '500ms,500ms,1s,1s,2s,2s,4s,4s,8s,8s',
        }),
      ]);
      const targetIds: string[] = [];
      for (const path of ['/pg-a', '/pg-b']) {
        const target = await request(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
          apiKey,
          body: { url: receiver.url(path), eventTypes: ['customer.customer_created'] },
        });
        expect(target.status).toBe(201);
        targetIds.push(target.body.data.id);
      }

      // Customers created one after another by a client that retries its PUT (idempotent) until it is answered 2xx.
      const created: string[] = [];
      const statuses: number[] = [];
      let creating = true;
      const creation = (async () => {
        while (creating) {
          const externalId = uniqueExternalId();
          for (;;) {
            const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
              apiKey,
              body: { email: `${externalId}@example.com`, fullName: 'Outage Test' },
            }).catch(() => ({ status: 0 }));
            statuses.push(put.status);
            if (put.status === 200 || put.status === 201) break;
            await sleep(250);
          }
          created.push(externalId);
          await sleep(30);
        }
      })();
      await sleep(3000);
      await withOutage();
      await sleep(4000);
      creating = false;
      await creation;

      expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
      const expected = created.length * targetIds.length;
      await eventually(() => expect(receiver.delivered().size).toBe(expected), 120_000, 500);
      // Each attempt number once per delivery, consecutive, never two at once. A request whose outcome the
      // outage kept from being recorded is retried under the next number once its lease ends (at least once).
      const violations = receiver.violations({ allowAttemptsAfterSuccess: true });
      expect(violations).toEqual({ notConsecutive: [], concurrent: [], afterSuccess: [] });
      expect(receiver.byDelivery().size).toBe(expected);
      await eventually(async () => {
        const rows = await sql<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE target_id = ANY($1) GROUP BY status',
          [targetIds],
        );
        expect(rows).toEqual([{ status: 'succeeded', n: expected }]);
      }, 60_000);
      const redelivered = receiver.violations().afterSuccess.length;
      process.stdout.write(
        `faults-postgres-restart (webhooks): ${created.length} customers × ${targetIds.length} targets delivered, ` +
          `${receiver.attempts.length} attempts, ${statuses.filter((s) => s === 503).length} PUTs answered 503, ` +
          `${redelivered} deliveries re-sent after a success the outage kept from being recorded\n`,
      );
    } finally {
      await receiver.close();
    }
  });
});
