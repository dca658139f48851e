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
    const load = new EventLoad({
      gatewayUrl: () => gateway.url,
      apiKey,
      customerExternalIds: customers.map((c) => c.externalId),
      concurrency: 4,
    }).start();
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
