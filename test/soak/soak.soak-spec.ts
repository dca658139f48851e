import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { prefixedTopic, TOPICS } from '@app/contracts';
import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { ROOT } from '@test/support/infra-state';
import { rssKiB } from '@test/support/process-stats';
import { RecordingReceiver } from '@test/support/recording-receiver';
import { sql } from '../e2e/gateway-helpers';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 2);
const EVENTS_PER_SECOND = Number(process.env.SOAK_EVENTS_PER_SECOND ?? 100);
const CHANGES_PER_SECOND = 5;
const READS_PER_SECOND = 20;
const SAMPLE_MS = 10_000;
const CUSTOMERS = 50;
/** Lag above this many messages (30 s of the event rate) means the consumers are not keeping up. */
const LAG_BOUND = EVENTS_PER_SECOND * 30;
/** Memory is flat when the late median RSS is within this of the early one (after warm-up). */
const RSS_GROWTH_MIB = 64;
const RSS_GROWTH_RATIO = 0.25;

type Kind = 'events' | 'changes' | 'reads';

class Tally {
  ok = 0;
  errors = 0;
  readonly statuses = new Map<string, number>();
  readonly samples: string[] = [];

  record(status: number, expected: number[], detail: () => string): boolean {
    const key = String(status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (expected.includes(status)) {
      this.ok++;
      return true;
    }
    this.errors++;
    if (this.samples.length < 10) this.samples.push(`${status} ${detail()}`);
    return false;
  }
}

/** Runs `work` at `perSecond` in total over `workers` loops, until `until()` says stop. */
async function paced(perSecond: number, workers: number, until: () => boolean, work: () => Promise<void>) {
  const interval = (workers * 1000) / perSecond;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let next = Date.now() + (w * interval) / workers;
      while (!until()) {
        await sleep(Math.max(0, next - Date.now()));
        next += interval;
        await work().catch(() => undefined);
      }
    }),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
};

/**
 * The soak: the three apps under steady mixed load (events single and batched, customer changes, timeline
 * reads, webhook deliveries to a local receiver that fails 3 % of requests) for SOAK_MINUTES. Every 10 s it
 * prints the RSS of each app, the consumer lag of both groups, deliveries in flight and error counts. It passes
 * when there are no errors, the lag stays bounded and drains, memory is flat, and everything acknowledged was
 * projected and delivered.
 */
describe(`soak: ${MINUTES} min of mixed load`, () => {
  const groups = {
    projector: `soak-projector-${randomBytes(3).toString('hex')}`,
    dispatcher: `soak-dispatcher-${randomBytes(3).toString('hex')}`,
  };
  const apps = {} as Record<'gateway' | 'projector' | 'dispatcher', AppProcess>;
  let receiver: RecordingReceiver;
  let admin: Admin;

  beforeAll(async () => {
    receiver = await RecordingReceiver.start({ failureRate: 0.03, holdMs: [1, 10] });
    [apps.gateway, apps.projector, apps.dispatcher] = await Promise.all([
      AppProcess.start('gateway', { DATABASE_POOL_SIZE: '8', LOG_LEVEL: 'warn' }),
      AppProcess.start('projector', {
        DATABASE_POOL_SIZE: '8',
        PROJECTOR_GROUP_ID: groups.projector,
        LOG_LEVEL: 'warn',
      }),
      AppProcess.start('webhook-dispatcher', {
        DATABASE_POOL_SIZE: '8',
        DISPATCHER_GROUP_ID: groups.dispatcher,
        WEBHOOK_RETRY_SCHEDULE: '1s,2s,5s,10s,10s,10s',
        LOG_LEVEL: 'warn',
      }),
    ]);
    admin = new Kafka({
      clientId: 'soak',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await Promise.all(Object.values(apps).map((app) => app?.stop()));
    await receiver?.close();
  });

  async function lagOf(groupId: string, topics: string[]): Promise<number> {
    let lag = 0;
    for (const topic of topics) {
      // Committed offsets first: the high watermark read after them can only be further on.
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(BigInt(end.high) - (at === '-1' ? BigInt(end.low) : BigInt(at)));
      }
    }
    return lag;
  }

  it('holds: no errors, bounded lag, flat memory, nothing lost', async () => {
    const prefix = process.env.KAFKA_TOPIC_PREFIX!;
    const eventsTopic = prefixedTopic(prefix, TOPICS.customerEvents);
    const changesTopic = prefixedTopic(prefix, TOPICS.customerChanges);
    const { apiKey } = await createApiKey();
    const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
    const call = async (
      app: AppProcess,
      method: string,
      path: string,
      body?: unknown,
      extra: Record<string, string> = {},
    ) => {
      try {
        const response = await fetch(`${app.url}/api/v1${path}`, {
          method,
          headers: { ...headers, ...extra },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
      } catch (error) {
        return { status: 0, body: String(error) };
      }
    };

    const targetIds: string[] = [];
    for (const path of ['/soak-a', '/soak-b']) {
      const target = await call(apps.dispatcher, 'POST', '/webhook-targets', {
        url: receiver.url(path),
        eventTypes: ['customer.customer_created', 'customer.customer_updated'],
      });
      expect(target.status).toBe(201);
      targetIds.push(target.body.data.id);
    }
    const customers: Array<{ id: string; externalId: string }> = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const externalId = uniqueExternalId('soak');
      const put = await call(apps.gateway, 'PUT', `/customers/${externalId}`, {
        email: `${externalId}@example.com`,
        fullName: 'Soak 0',
      });
      expect(put.status).toBe(201);
      customers.push({ id: put.body.data.id, externalId });
    }
    const pick = () => customers[Math.floor(Math.random() * customers.length)];

    const tallies: Record<Kind, Tally> = { events: new Tally(), changes: new Tally(), reads: new Tally() };
    const markers = new Set<string>();
    let changed = 0;
    let sequence = 0;
    const endAt = Date.now() + MINUTES * 60_000;
    const done = () => Date.now() >= endAt;

    const singleEvent = async () => {
      const marker = `m${sequence++}`;
      const idempotent = sequence % 2 === 0;
      const r = await call(
        apps.gateway,
        'POST',
        '/customer-events',
        { customerExternalId: pick().externalId, type: 'soak.event', payload: { marker } },
        idempotent ? { 'idempotency-key': `soak-${marker}` } : {},
      );
      if (tallies.events.record(r.status, [201], () => JSON.stringify(r.body).slice(0, 200)))
        markers.add(marker);
    };
    const batch = async () => {
      const events = Array.from({ length: 10 }, () => ({
        customerExternalId: pick().externalId,
        type: 'soak.event',
        payload: { marker: `m${sequence++}` },
      }));
      const r = await call(apps.gateway, 'POST', '/customer-events/batch', { events });
      if (tallies.events.record(r.status, [200], () => JSON.stringify(r.body).slice(0, 200))) {
        r.body.data.results.forEach((result: { success: boolean }, i: number) => {
          if (result.success) markers.add(events[i].payload.marker);
          else tallies.events.record(-1, [], () => JSON.stringify(result).slice(0, 200));
        });
      }
    };
    const change = async () => {
      const r = await call(apps.gateway, 'PATCH', `/customers/${pick().externalId}`, {
        fullName: `Soak ${sequence++}`,
      });
      if (tallies.changes.record(r.status, [200], () => JSON.stringify(r.body).slice(0, 200))) changed++;
    };
    const read = async () => {
      const customer = pick();
      const first = await call(apps.projector, 'GET', `/customers/${customer.externalId}/timeline?limit=50`);
      if (!tallies.reads.record(first.status, [200], () => JSON.stringify(first.body).slice(0, 200))) return;
      if (first.body.data.nextCursor) {
        const next = await call(
          apps.projector,
          'GET',
          `/customers/${customer.externalId}/timeline?limit=50&cursor=${first.body.data.nextCursor}`,
        );
        tallies.reads.record(next.status, [200], () => JSON.stringify(next.body).slice(0, 200));
      }
    };

    const samples: Array<Record<string, number>> = [];
    const started = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(SAMPLE_MS);
        const [pending] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE target_id = ANY($1) AND status IN ('pending', 'in_progress')`,
          [targetIds],
        );
        const sample = {
          t: Math.round((Date.now() - started) / 1000),
          rssGateway: Math.round((rssKiB(apps.gateway.child.pid) ?? 0) / 1024),
          rssProjector: Math.round((rssKiB(apps.projector.child.pid) ?? 0) / 1024),
          rssDispatcher: Math.round((rssKiB(apps.dispatcher.child.pid) ?? 0) / 1024),
          lagProjector: await lagOf(groups.projector, [eventsTopic, changesTopic]),
          lagDispatcher: await lagOf(groups.dispatcher, [changesTopic]),
          deliveriesPending: pending.n,
          attempts: receiver.attempts.length,
          events: markers.size,
          changes: tallies.changes.ok,
          reads: tallies.reads.ok,
          errors: tallies.events.errors + tallies.changes.errors + tallies.reads.errors,
        };
        samples.push(sample);
        process.stdout.write(
          `[soak t=${sample.t}s] RSS MiB gateway ${sample.rssGateway} projector ${sample.rssProjector} dispatcher ${sample.rssDispatcher}` +
            ` | lag projector ${sample.lagProjector} dispatcher ${sample.lagDispatcher} | deliveries pending ${sample.deliveriesPending}, attempts ${sample.attempts}` +
            ` | acknowledged events ${sample.events}, changes ${sample.changes}, reads ${sample.reads} | errors ${sample.errors}\n`,
        );
      }
    })();

    await Promise.all([
      paced(EVENTS_PER_SECOND * 0.7, 8, done, singleEvent),
      paced(EVENTS_PER_SECOND * 0.03, 2, done, batch),
      paced(CHANGES_PER_SECOND, 2, done, change),
      paced(READS_PER_SECOND, 4, done, read),
    ]);
    const loadSeconds = (Date.now() - started) / 1000;

    // Drain: the consumers catch up and every delivery finishes.
    const drainStarted = Date.now();
    await eventually(
      async () => {
        expect(await lagOf(groups.projector, [eventsTopic, changesTopic])).toBe(0);
        expect(await lagOf(groups.dispatcher, [changesTopic])).toBe(0);
        const [pending] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE target_id = ANY($1) AND status IN ('pending', 'in_progress')`,
          [targetIds],
        );
        expect(pending.n).toBe(0);
      },
      180_000,
      1000,
    );
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    sampling = false;
    await sampler;

    // Nothing lost: every acknowledged event on a timeline once, every change delivered to both targets.
    const projected = await sql<{ marker: string; n: number }>(
      `SELECT payload->>'marker' AS marker, count(*)::int AS n FROM timeline_items WHERE customer_id = ANY($1) AND type = 'soak.event' GROUP BY 1`,
      [customers.map((c) => c.id)],
    );
    const projectedOnce = projected.filter((p) => p.n === 1 && markers.has(p.marker)).length;
    const deliveries = await sql<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE target_id = ANY($1) GROUP BY status ORDER BY status',
      [targetIds],
    );
    const violations = receiver.violations();

    const late = samples.slice(Math.floor(samples.length * 0.7));
    const early = samples.slice(
      Math.max(1, Math.floor(samples.length * 0.2)),
      Math.max(2, Math.floor(samples.length * 0.5)),
    );
    const memory = (['rssGateway', 'rssProjector', 'rssDispatcher'] as const).map((key) => {
      const from = median(early.map((s) => s[key]));
      const to = median(late.map((s) => s[key]));
      return {
        app: key,
        earlyMedianMiB: from,
        lateMedianMiB: to,
        maxMiB: Math.max(...samples.map((s) => s[key])),
        flat: to - from <= Math.max(RSS_GROWTH_MIB, from * RSS_GROWTH_RATIO),
      };
    });
    const report = {
      minutes: MINUTES,
      loadSeconds: Math.round(loadSeconds),
      drainSeconds: Math.round(drainSeconds),
      rates: {
        eventsPerSecond: Math.round(markers.size / loadSeconds),
        changesPerSecond: +(changed / loadSeconds).toFixed(1),
        readsPerSecond: Math.round(tallies.reads.ok / loadSeconds),
      },
      acknowledged: { events: markers.size, changes: changed + CUSTOMERS, reads: tallies.reads.ok },
      errors: Object.fromEntries(
        Object.entries(tallies).map(([k, t]) => [
          k,
          { count: t.errors, statuses: Object.fromEntries(t.statuses), samples: t.samples },
        ]),
      ),
      maxLag: {
        projector: Math.max(0, ...samples.map((s) => s.lagProjector)),
        dispatcher: Math.max(0, ...samples.map((s) => s.lagDispatcher)),
        bound: LAG_BOUND,
      },
      memory,
      projected: { markers: projected.length, once: projectedOnce },
      deliveries: Object.fromEntries(deliveries.map((d) => [d.status, d.n])),
      attempts: {
        total: receiver.attempts.length,
        answered500: receiver.attempts.filter((a) => a.status !== 200).length,
      },
      receiverViolations: violations,
      samples,
    };
    const dir = join(ROOT, '.cache', 'soak');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    const { samples: _, ...summary } = report;
    process.stdout.write(`[soak] report: ${file}\n${JSON.stringify(summary, null, 2)}\n`);

    expect(report.errors).toEqual({
      events: expect.objectContaining({ count: 0 }),
      changes: expect.objectContaining({ count: 0 }),
      reads: expect.objectContaining({ count: 0 }),
    });
    expect(report.maxLag.projector).toBeLessThanOrEqual(LAG_BOUND);
    expect(report.maxLag.dispatcher).toBeLessThanOrEqual(LAG_BOUND);
    expect(memory.filter((m) => !m.flat)).toEqual([]);
    expect({ markers: projected.length, once: projectedOnce }).toEqual({
      markers: markers.size,
      once: markers.size,
    });
    expect(report.deliveries).toEqual({ succeeded: (changed + CUSTOMERS) * targetIds.length });
    expect(violations).toEqual({ notConsecutive: [], concurrent: [], afterSuccess: [] });
  });
});
