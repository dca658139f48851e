import { randomBytes } from 'node:crypto';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { EventLoad, exactlyOnceReport, timelineMarkerCounts } from '@test/support/event-load';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { createCustomer } from './gateway-helpers';
import { pageThrough } from './projector-fixtures';
import { useOwnTopics } from '@test/support/own-topics';

/** Its own consumer group, so that the members killed here hold up no other file's projector. */
const PROJECTOR_ENV = {
  PROJECTOR_GROUP_ID: `faults-sigkill-${randomBytes(4).toString('hex')}`,
  PROJECTOR_SESSION_TIMEOUT_MS: '6000',
  DATABASE_POOL_SIZE: '4',
};
const LOAD_MS = 20_000;
/** At least this many kills, each while the projector is mid-stream. */
const KILLS = 4;

describe('fault: the projector is SIGKILLed every few seconds under load', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  const customers: Array<{ id: string; externalId: string }> = [];

  beforeAll(async () => {
    await useOwnTopics('faults-projector-sigkill');
    [gateway, projector, { apiKey }] = await Promise.all([
      AppProcess.start('gateway'),
      AppProcess.start('projector', PROJECTOR_ENV),
      createApiKey(),
    ]);
    for (let i = 0; i < 12; i++)
      customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.kill()]);
  });

  it('projects every acknowledged event exactly once, whatever batch each kill interrupted', async () => {
    const load = new EventLoad({ gatewayUrl: () => gateway.url, apiKey, customers, concurrency: 4 }).start();
    const kills: Array<{ acceptedSoFar: number; projectedSoFar: number }> = [];
    const ids = customers.map((c) => c.id);
    const started = Date.now();
    while (Date.now() - started < LOAD_MS || kills.length < KILLS) {
      // Each kill lands while the projector is projecting: once it has made progress since it (re)joined
      // its group, at a random moment of the next 0.5–2 s (so inside a batch, or between apply and commit).
      const before = (await timelineMarkerCounts(ids)).size;
      await eventually(
        async () => expect((await timelineMarkerCounts(ids)).size).toBeGreaterThan(before),
        60_000,
        100,
      );
      await sleep(500 + Math.random() * 1500);
      await projector.kill();
      expect(projector.child.signalCode).toBe('SIGKILL');
      kills.push({
        acceptedSoFar: load.accepted.length,
        projectedSoFar: (await timelineMarkerCounts(ids)).size,
      });
      projector = await AppProcess.start('projector', PROJECTOR_ENV);
    }
    await load.stop();

    // The gateway was never at fault: every request was acknowledged.
    expect(load.outcomes.filter((o) => o.status !== 201)).toEqual([]);
    // Every kill found it at a different point of the stream.
    expect(new Set(kills.map((k) => k.projectedSoFar)).size).toBe(kills.length);
    const accepted = load.acceptedMarkers();
    expect(accepted.size).toBe(load.outcomes.length);

    await eventually(
      async () => {
        const counts = await timelineMarkerCounts(customers.map((c) => c.id));
        expect(exactlyOnceReport(accepted, counts)).toEqual({ missing: [], duplicated: [] });
        expect(counts.size).toBe(accepted.size);
      },
      120_000,
      1000,
    );

    // Through the API too: each customer's timeline pages through to its creation plus its acknowledged events.
    for (const customer of customers) {
      const expected = load.accepted.filter((o) => o.customerExternalId === customer.externalId);
      const ids = await pageThrough((cursor) =>
        request(
          projector.url,
          'GET',
          `/api/v1/customers/${customer.externalId}/timeline?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          { apiKey },
        ),
      );
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => id.startsWith('cev_')).sort()).toEqual(expected.map((o) => o.eventId).sort());
    }
    process.stdout.write(
      `faults-projector-sigkill: ${accepted.size} events acknowledged, ${kills.length} kills ` +
        `(projected at each kill: ${kills.map((k) => `${k.projectedSoFar}/${k.acceptedSoFar}`).join(', ')})\n`,
    );
  });
});

/**
 * How long part of the timeline stays stale when one of two replicas is SIGKILLed with the default settings
 * (KAFKA_SESSION_TIMEOUT_MS 10 s, heartbeat 1 s): the group notices only when the session expires, then the
 * survivor takes the partitions over from the last committed offsets. The bound is a generous ceiling on
 * what RELIABILITY.md reports as measured.
 */
describe('fault: one of two projector replicas is SIGKILLed (default group timing)', () => {
  const CEILING_MS = 15_000;
  const groupEnv = {
    PROJECTOR_GROUP_ID: `faults-failover-${randomBytes(4).toString('hex')}`,
    DATABASE_POOL_SIZE: '4',
  };
  let gateway: AppProcess;
  let replicas: AppProcess[] = [];
  let apiKey: string;
  const customers: Array<{ id: string; externalId: string }> = [];

  beforeAll(async () => {
    await useOwnTopics('faults-projector-failover');
    [gateway, { apiKey }] = await Promise.all([AppProcess.start('gateway'), createApiKey()]);
    replicas = await Promise.all([
      AppProcess.start('projector', groupEnv),
      AppProcess.start('projector', groupEnv),
    ]);
    for (let i = 0; i < 12; i++)
      customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), ...replicas.map((r) => r.kill())]);
  });

  async function tickEveryCustomer(tag: string): Promise<Set<string>> {
    const markers = new Set<string>();
    for (const customer of customers) {
      const marker = `${tag}-${customer.externalId}`;
      const posted = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        body: { customerExternalId: customer.externalId, type: 'load.tick', payload: { marker } },
      });
      expect(posted.status).toBe(201);
      markers.add(marker);
    }
    return markers;
  }

  async function allVisible(markers: Set<string>): Promise<boolean> {
    const counts = await timelineMarkerCounts(customers.map((c) => c.id));
    return [...markers].every((m) => counts.get(m) === 1);
  }

  it(`every partition is projected again within ${CEILING_MS / 1000} s of the kill`, async () => {
    // Both replicas hold partitions and project: every customer's tick shows up.
    const warm = await tickEveryCustomer('warm');
    await eventually(async () => expect(await allVisible(warm)).toBe(true), 60_000, 200);

    const [victim] = replicas;
    await victim.kill();
    const killedAt = Date.now();
    const after = await tickEveryCustomer('after-kill');
    let staleMs = 0;
    await eventually(
      async () => {
        expect(await allVisible(after)).toBe(true);
        staleMs = Date.now() - killedAt;
      },
      60_000,
      100,
    );
    process.stdout.write(
      `faults-projector-failover: timeline stale for ${(staleMs / 1000).toFixed(1)} s after SIGKILL\n`,
    );
    expect(staleMs).toBeLessThanOrEqual(CEILING_MS);
  });
});
