import { randomBytes } from 'node:crypto';
import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { EventLoad, exactlyOnceReport, timelineMarkerCounts } from '@test/support/event-load';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { PrivateBroker } from '@test/support/private-broker';
import { createCustomer, postEvent } from './gateway-helpers';

/**
 * The broker goes away for ~10 s under load. It is a broker of this file's own on port 19392 (never the shared
 * one on 9092): the gateway and the projector under test know only it.
 */
describe('fault: the Kafka broker is stopped for ~10 s under load', () => {
  const broker = new PrivateBroker(19392);
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  const customers: Array<{ id: string; externalId: string }> = [];

  beforeAll(async () => {
    await broker.create();
    const env = { KAFKA_BROKERS: broker.brokers };
    [gateway, projector, { apiKey }] = await Promise.all([
      AppProcess.start('gateway', { ...env, KAFKA_PUBLISH_TIMEOUT_MS: '2000' }),
      AppProcess.start('projector', {
        ...env,
        PROJECTOR_GROUP_ID: `faults-kafka-${randomBytes(4).toString('hex')}`,
        DATABASE_POOL_SIZE: '4',
      }),
      createApiKey(),
    ]);
    for (let i = 0; i < 6; i++) customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
    await broker.destroy();
  });

  /** Clients that retry each event with its Idempotency-Key until it is accepted, and clients that send once. */
  function startLoads() {
    const base = { gatewayUrl: () => gateway.url, apiKey, customers };
    return {
      retrying: new EventLoad({ ...base, concurrency: 3, idempotentRetries: true, pauseMs: 20 }).start(),
      once: new EventLoad({ ...base, concurrency: 2, pauseMs: 20 }).start(),
    };
  }

  /**
   * What the loads were told: the events acknowledged (by marker), and those answered 503 to the clients that
   * send once (in order, and as a set).
   */
  function answered(retrying: EventLoad, once: EventLoad) {
    const refusedOnce = once.outcomes.filter((o) => o.status === 503).map((o) => o.marker);
    return {
      accepted: new Set([...retrying.acceptedMarkers(), ...once.acceptedMarkers()]),
      refusedOnce,
      refused: new Set(refusedOnce),
    };
  }

  /** Waits (up to 90 s) until the customers' timelines pass `check`; returns the marker counts that did. */
  const projectedAs = (check: (counts: Map<string, number>) => void) =>
    eventually(
      async () => {
        const counts = await timelineMarkerCounts(customers.map((c) => c.id));
        check(counts);
        return counts;
      },
      90_000,
      1000,
    );

  it('answers 503 while it is down, recovers by itself, and every acknowledged event is projected exactly once', async () => {
    const { retrying, once } = startLoads();

    await sleep(3000);
    await broker.stop();
    const stoppedAt = Date.now();
    await sleep(10_000);
    const restartingAt = Date.now();
    await broker.start();
    // It recovers by itself: a new request is accepted without restarting anything.
    await eventually(
      async () =>
        expect(
          (await postEvent(gateway.url, apiKey, { customerExternalId: customers[0].externalId, type: 'x.y' }))
            .status,
        ).toBe(201),
      60_000,
      500,
    );
    await sleep(3000);
    await Promise.all([retrying.stop(), once.stop()]);
    expect(gateway.child.exitCode).toBeNull();

    const outcomes = [...retrying.outcomes, ...once.outcomes];
    // Only two answers ever: accepted, or 503 SERVICE_UNAVAILABLE (no 500, no dropped connection).
    expect(
      outcomes.filter((o) => o.status !== 201 && !(o.status === 503 && o.code === 'SERVICE_UNAVAILABLE')),
    ).toEqual([]);
    // Every request sent and answered while the broker was down was refused.
    const whileDown = outcomes.filter((o) => o.sentAt >= stoppedAt && o.answeredAt <= restartingAt);
    expect(whileDown.length).toBeGreaterThan(10);
    expect(whileDown.filter((o) => o.status !== 503)).toEqual([]);
    // And the clients were served again after it came back.
    expect(outcomes.filter((o) => o.sentAt > restartingAt && o.status === 201).length).toBeGreaterThan(0);

    // Each retried key got one event id, however many times it was answered 201.
    const idsPerKey = new Map<string, Set<string>>();
    for (const o of retrying.accepted) {
      const ids = idsPerKey.get(o.idempotencyKey!) ?? new Set<string>();
      ids.add(o.eventId!);
      idsPerKey.set(o.idempotencyKey!, ids);
    }
    expect([...idsPerKey].filter(([, ids]) => ids.size !== 1)).toEqual([]);

    const { accepted, refusedOnce, refused } = answered(retrying, once);
    const counts = await projectedAs((counts) => {
      // Every acknowledged event once; every retrying client's event once in all (no duplicate from its retries).
      expect(exactlyOnceReport(accepted, counts)).toEqual({ missing: [], duplicated: [] });
      // Nothing else, but for events answered 503 to clients without a key: a publish in flight when the
      // broker stopped may have been appended after all ("not confirmed", see RELIABILITY.md).
      expect([...counts.keys()].filter((m) => !accepted.has(m) && !refused.has(m))).toEqual([]);
    });
    const landedAfter503 = refusedOnce.filter((m) => counts.has(m)).length;
    process.stdout.write(
      `faults-kafka-outage: ${outcomes.length} requests, ${accepted.size} events acknowledged, ` +
        `${outcomes.filter((o) => o.status === 503).length} answered 503 (${whileDown.length} while down), ` +
        `${idsPerKey.size} idempotent events; ${landedAfter503} of ${refusedOnce.length} events answered 503 to ` +
        `clients without a key were appended anyway\n`,
    );
  });

  it('a broker frozen for ~6 s (publishes time out, then land late): Idempotency-Key retries still create no duplicates', async () => {
    const { retrying, once } = startLoads();
    await sleep(2000);
    // Frozen, not stopped: the produce requests already sent sit in the broker's socket buffers, the gateway
    // answers 503 after KAFKA_PUBLISH_TIMEOUT_MS (2 s), and when the broker thaws it appends them anyway.
    // Three publish timeouts long: a request sent before the freeze times out at most 2 s into it, and the
    // client's next one, sent while frozen, has a whole timeout left to fail in (with 4 s that was a race).
    broker.pause();
    const frozenAt = Date.now();
    try {
      await sleep(6000);
    } finally {
      broker.resume();
    }
    await sleep(4000);
    await Promise.all([retrying.stop(), once.stop()]);

    const outcomes = [...retrying.outcomes, ...once.outcomes];
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
    const timedOut = outcomes.filter((o) => o.status === 503 && o.sentAt >= frozenAt).length;
    expect(timedOut).toBeGreaterThan(0);
    const { accepted, refusedOnce, refused } = answered(retrying, once);
    const counts = await projectedAs((counts) => {
      // A retried key re-publishes the event it stored first (same id), so a publish that timed out and
      // landed late is not a second event: every acknowledged event once, retried ones included.
      expect(exactlyOnceReport(accepted, counts)).toEqual({ missing: [], duplicated: [] });
      const ours = (m: string) => retrying.owns(m) || once.owns(m);
      expect([...counts.keys()].filter((m) => ours(m) && !accepted.has(m) && !refused.has(m))).toEqual([]);
    });
    const landedAfter503 = refusedOnce.filter((m) => counts.has(m)).length;
    // Without a key there is no way to tell: a 503 after a publish timeout means "not confirmed", and such an
    // event may still have been appended. Reported, not hidden (see RELIABILITY.md).
    process.stdout.write(
      `faults-kafka-outage (frozen broker): ${outcomes.length} requests, ${timedOut} answered 503 while frozen, ` +
        `${accepted.size} acknowledged events projected once; ${landedAfter503} of ${refusedOnce.length} ` +
        `events answered 503 to clients without a key were appended anyway\n`,
    );
  });
});
