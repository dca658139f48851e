import { Pool } from 'undici';
import { eventBody, externalIdOf } from '../event-payloads';
import { workerMain } from '../run-worker';
import { type Distribution, distribution, sleep } from '../stats';
import { changedFullName, type TimelineItemData, TimelineStreams } from './timeline-streams';

export interface E2eJob {
  /** `event`: POST /customer-events (timed to its item); `patch`: PATCH /customers/{id} (timed to the change's item). */
  kind: 'event' | 'patch';
  gatewayUrl: string;
  projectorUrl: string;
  apiKey: string;
  ratePerS: number;
  warmupS: number;
  durationS: number;
  sampleEvery: number;
  /** Customers that get only sampled events, so `limit=1` shows a sample as soon as it is projected. */
  sampleCustomers: string[];
  customerPrefix: string;
  customers: number;
  pollEveryMs: number;
  timeoutMs: number;
}

export interface E2eSummary {
  offered: number;
  offeredPerS: number;
  accepted: number;
  failed: number;
  postLatencyMs: Distribution;
  /** The slowest POST started in each second of the run (warm-up included): when stalls happened. */
  slowestPostMsBySecond: number[];
  samples: Distribution;
  /** Per sample, POST start → its live stream announcing the item (the part of a sample before the timeline read). */
  announcedMs: Distribution;
  samplesSkipped: number;
  samplesTimedOut: number;
}

/**
 * Events due by `t` seconds: the rate ramps up linearly over the warm-up (a cold process hit at full rate
 * builds a backlog that would still be draining in the measured window), then holds.
 */
function dueBy(t: number, ratePerS: number, warmupS: number): number {
  if (t <= warmupS) return (ratePerS * t * t) / (2 * warmupS);
  return (ratePerS * warmupS) / 2 + ratePerS * (t - warmupS);
}

/**
 * Offers `ratePerS` events per second through the gateway (paced, keep-alive) and, for one event in
 * `sampleEvery`, measures POST start → the first read of the timeline API that shows it. Each sampled
 * customer's live stream says when to make that read; should the read not show it yet, it is retried.
 */
workerMain(async (job: E2eJob): Promise<E2eSummary> => {
  const gateway = new Pool(job.gatewayUrl, { connections: 64, keepAliveTimeout: 30_000 });
  const projector = new Pool(job.projectorUrl, { connections: 32, keepAliveTimeout: 30_000 });
  const keyOf =
    job.kind === 'patch' ? changedFullName : (item: TimelineItemData): string | undefined => item.id;
  const streams = new TimelineStreams(job.projectorUrl, job.apiKey, job.sampleCustomers.length, keyOf);
  await streams.open(job.sampleCustomers);
  const headers = { 'content-type': 'application/json', 'x-api-key': job.apiKey };
  const freeSamples = [...job.sampleCustomers];
  const postLatencies: number[] = [];
  const slowestBySecond: number[] = [];
  let runStart = 0;
  const latencies: number[] = [];
  const announced: number[] = [];
  let accepted = 0;
  let failed = 0;
  let skipped = 0;
  let timedOut = 0;

  /** Sends one event or change; resolves with the key its timeline item will carry, undefined if refused. */
  const post = async (externalId: string, n: number): Promise<string | undefined> => {
    const started = performance.now();
    const fullName = `Bench ${process.pid} ${n}`;
    try {
      const response = await gateway.request(
        job.kind === 'patch'
          ? {
              method: 'PATCH',
              path: `/api/v1/customers/${externalId}`,
              headers,
              body: JSON.stringify({ fullName }),
            }
          : { method: 'POST', path: '/api/v1/customer-events', headers, body: eventBody(externalId, n) },
      );
      const text = await response.body.text();
      if (response.statusCode !== (job.kind === 'patch' ? 200 : 201)) {
        failed++;
        return undefined;
      }
      accepted++;
      const took = performance.now() - started;
      postLatencies.push(took);
      const second = Math.floor((started - runStart) / 1000);
      slowestBySecond[second] = Math.max(slowestBySecond[second] ?? 0, Math.round(took));
      return job.kind === 'patch' ? fullName : (JSON.parse(text) as { data: { id: string } }).data.id;
    } catch {
      failed++;
      return undefined;
    }
  };

  const seen = async (externalId: string, id: string): Promise<boolean> => {
    const response = await projector.request({
      method: 'GET',
      path: `/api/v1/customers/${externalId}/timeline?limit=1`,
      headers,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return false;
    const [latest] = (JSON.parse(text) as { data: { items: TimelineItemData[] } }).data.items;
    return latest !== undefined && keyOf(latest) === id;
  };

  const sample = async (n: number, measured: boolean) => {
    // Free customers are reused oldest-first, so a sample is always newer than the one before it there.
    const externalId = freeSamples.shift();
    if (!externalId) {
      if (measured) skipped++;
      return;
    }
    const started = performance.now();
    try {
      const id = await post(externalId, n);
      if (!id) return;
      if (await streams.waitFor(id, job.timeoutMs)) {
        if (measured) announced.push(performance.now() - started);
        for (let age = 0; age < job.timeoutMs; age = performance.now() - started) {
          if (await seen(externalId, id)) {
            if (measured) latencies.push(performance.now() - started);
            return;
          }
          await sleep(job.pollEveryMs);
        }
      }
      if (measured) timedOut++;
    } finally {
      freeSamples.push(externalId);
    }
  };

  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const start = performance.now();
  runStart = start;
  const totalMs = (job.warmupS + job.durationS) * 1000;
  let sent = 0;
  let offered = 0;
  for (let elapsed = 0; elapsed < totalMs; elapsed = performance.now() - start) {
    const due = Math.floor(dueBy(elapsed / 1000, job.ratePerS, job.warmupS));
    const measured = elapsed >= job.warmupS * 1000;
    for (; sent < due; sent++) {
      if (measured) offered++;
      if (sent % job.sampleEvery === 0) track(sample(sent, measured));
      else track(post(externalIdOf(job.customerPrefix, Math.floor(Math.random() * job.customers)), sent));
    }
    await sleep(1);
  }
  await Promise.all([...inFlight]);
  await Promise.all([gateway.close(), projector.close(), streams.close()]);
  return {
    offered,
    offeredPerS: offered / job.durationS,
    accepted,
    failed,
    postLatencyMs: distribution(postLatencies),
    slowestPostMsBySecond: Array.from(slowestBySecond, (ms) => ms ?? 0),
    samples: distribution(latencies),
    announcedMs: distribution(announced),
    samplesSkipped: skipped,
    samplesTimedOut: timedOut,
  };
});
