import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchApp } from '../app-process';
import { createApiKey, createWebhookTarget, insertCustomers } from '../fixtures';
import { load } from '../load';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import type { Sandbox } from '../sandbox';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import { distribution, waitUntil } from '../stats';
import type { PostJob, PostSummary } from '../workers/undici-post.worker';
import type { WebhookSqlFloorJob, WebhookSqlFloorSummary } from '../workers/webhook-sql-floor.worker';
import { type FirstAttempt, WebhookTally, windowRate } from '../webhook-receiver';
import { CpuWindow } from '../cpu-usage';

const NAME = 'webhooks';

/**
 * Customer updates through the gateway, delivered by the dispatcher to one local target answering 200 at once,
 * vs a bare undici client posting the same bodies to the same receiver with the same concurrency.
 *
 * Two halves: `backlog` (updates made while the dispatcher is stopped, then the dispatcher started) gives what
 * the dispatcher itself can deliver, which is what the baseline bounds; then `live` (the dispatcher running while
 * updates come in, paced at half the rate it drained, so that the figure is latency and not a queue) gives
 * change → first attempt latency.
 */
/** Deliveries the floor makes: enough for a steady rate, few enough to keep the run short. */
const FLOOR_DELIVERIES = 5000;

export const webhooksScenario = sandboxedScenario(NAME, async (ctx, sandbox): Promise<ScenarioOutcome> => {
  const p = ctx.params.webhooks;
  const concurrency = ctx.options.webhookConcurrency;
  const dispatcherEnv = { WEBHOOK_MAX_CONCURRENCY_PER_TARGET: String(concurrency) };
  const key = await createApiKey(sandbox);
  await insertCustomers(sandbox, key, 'cw_', p.customers);
  const receiver = await WebhookTally.start();
  const dir = mkdtempSync(join(tmpdir(), 'sdbench-'));
  try {
    const [gateway, dispatcher] = await Promise.all([
      ctx.startApp('gateway', sandbox, NAME),
      ctx.startApp('webhook-dispatcher', sandbox, NAME, dispatcherEnv),
    ]);
    await createWebhookTarget(dispatcher.url, key.apiKey, receiver.url('/dispatcher'), [
      'customer.customer_updated',
    ]);
    const delivered = receiver.endpoint('/dispatcher');
    const patch = (amount: number, ratePerS?: number) =>
      load(
        gateway.url,
        key.apiKey,
        { connections: p.connections, amount, warmupS: 0, ratePerS },
        { kind: 'patch-customer', customerPrefix: 'cw_', customers: p.customers },
      );
    const allDelivered = (count: number) =>
      waitUntil(
        `${count} first attempts`,
        () => Promise.resolve(delivered.firsts.length >= count ? true : undefined),
        60_000 + p.updates * 20,
      );
    const half = Math.floor(p.updates / 2);

    await ctx.stopApp(dispatcher, NAME);
    ctx.log(`${NAME}: backlog: ${p.updates - half} PATCHes with the dispatcher stopped, then it drains them`);
    const backlogPatches = await patch(p.updates - half);
    await outboxPublished(sandbox);
    const restarted: BenchApp = await ctx.startApp('webhook-dispatcher', sandbox, NAME, dispatcherEnv);
    const drainCpu = restarted.cpuSeconds();
    const drainWindow = CpuWindow.start();
    await allDelivered(backlogPatches.ok);
    const drainUse = drainWindow.stop();
    const backlog = delivered.firsts.slice();
    const dispatcherCpuMs = ((restarted.cpuSeconds() - drainCpu) * 1000) / backlog.length;
    const drainPerS = windowRate(backlog);

    // Half of what either side sustains: the dispatcher draining, or the gateway taking PATCHes.
    const liveRate = Math.max(1, Math.floor(Math.min(drainPerS, backlogPatches.requestsPerS) / 2));
    ctx.log(
      `${NAME}: live: ${half} PATCHes at ${liveRate}/s (half the capacity), per-target concurrency ${concurrency}`,
    );
    const livePatches = await patch(half, liveRate);
    await allDelivered(backlog.length + livePatches.ok);
    const live = delivered.firsts.slice(backlog.length);
    const liveStages = await stagesOf(sandbox, live);
    await Promise.all([ctx.stopApp(gateway, NAME), ctx.stopApp(restarted, NAME)]);

    ctx.log(
      `${NAME}: baseline (bare undici, ${concurrency} at a time, the same ${delivered.firsts.length} bodies)`,
    );
    const bodiesFile = join(dir, 'bodies.jsonl');
    writeFileSync(bodiesFile, delivered.firsts.map((f) => f.body).join('\n'));
    const base = receiver.endpoint('/baseline');
    base.keepBodies = false;
    const baselineWindow = CpuWindow.start();
    const client = await runWorker<PostSummary>('undici-post', {
      url: receiver.url('/baseline'),
      bodiesFile,
      concurrency,
    } satisfies PostJob);
    const baselineUse = baselineWindow.stop();
    const baselinePerS = base.ratePerS();

    ctx.log(`${NAME}: floor (the dispatcher's database work alone, batches of ${concurrency})`);
    const floor = await runWorker<WebhookSqlFloorSummary>('webhook-sql-floor', {
      databaseUrl: sandbox.databaseUrl,
      workspaceId: key.workspaceId,
      batch: concurrency,
      deliveries: Math.max(concurrency, Math.min(backlog.length, FLOOR_DELIVERIES)),
    } satisfies WebhookSqlFloorJob);
    const machineCpuMs = (drainUse.machineS * 1000) / backlog.length;
    const baselineMachineCpuMs = (baselineUse.machineS * 1000) / client.posted;
    const postgresCpuMs = (drainUse.postgresS * 1000) / backlog.length;
    const latency = latencyOf(live);
    ctx.log(
      `${NAME}: dispatcher ${Math.round(drainPerS)}/s draining, ${Math.round(windowRate(live))}/s live ` +
        `(p99 ${latency.p99} ms); baseline ${Math.round(baselinePerS)}/s`,
    );

    return {
      rows: [
        resultRow(NAME, 'first attempts/s, draining a backlog', 'deliveries/s', drainPerS, {
          baseline: baselinePerS,
          minRatio: 0.5,
          atLeast: 2000,
        }),
        resultRow(
          NAME,
          'dispatcher CPU per attempt, draining (vs bare undici per POST)',
          'ms',
          dispatcherCpuMs,
          {
            baseline: client.cpuMsPerPost,
          },
        ),
        resultRow(
          NAME,
          'machine CPU per delivery, draining (every process; vs the baseline per POST, receiver included)',
          'ms',
          machineCpuMs,
          { baseline: baselineMachineCpuMs },
        ),
        resultRow(
          NAME,
          `floor: deliveries/s of the dispatcher's database work alone (batches of ${concurrency}) vs bare undici`,
          'deliveries/s',
          floor.deliveriesPerS,
          { baseline: baselinePerS },
        ),
        resultRow(NAME, `PostgreSQL CPU per delivery, draining (vs the floor's)`, 'ms', postgresCpuMs, {
          baseline: floor.postgresCpuMsPerDelivery,
        }),
        resultRow(
          NAME,
          'first attempts/s, live (PATCHes at half the capacity)',
          'deliveries/s',
          windowRate(live),
        ),
        resultRow(NAME, 'change → first attempt p50 (live)', 'ms', latency.p50),
        resultRow(NAME, 'change → first attempt p99 (live)', 'ms', latency.p99, { atMost: 250 }),
        resultRow(NAME, 'PATCH/s through the gateway (unpaced)', 'req/s', backlogPatches.requestsPerS),
      ],
      details: {
        dispatcherCpuMs,
        machineCpuMs,
        baselineMachineCpuMs,
        postgresCpuMs,
        floor,
        perTargetConcurrency: concurrency,
        livePatches,
        backlogPatches,
        liveFirstAttempts: live.length,
        backlogFirstAttempts: backlog.length,
        retries: delivered.retries,
        duplicates: delivered.duplicates,
        liveLatencyMs: latency,
        liveStagesMs: liveStages,
        backlogLatencyMs: latencyOf(backlog),
        baselineClient: client,
        baselineReceived: base.firsts.length,
      },
      notes: [
        `${p.updates.toLocaleString('en-US')} PATCHes over ${p.customers} customers from ${p.connections} connections ` +
          `: the first half as fast as the gateway answers while the dispatcher is stopped, then drained (its own ` +
          'capacity); the second half with the dispatcher running, paced at half the lower of the drain rate and the ' +
          'PATCH rate (latency). ' +
          `WEBHOOK_MAX_CONCURRENCY_PER_TARGET=${concurrency}, and the baseline posts all the bodies the receiver got, ` +
          `${concurrency} at a time. Rates are first attempts over the window from the first to the last one; latency ` +
          "is receipt time minus payload.customer.updatedAt (same clock). Machine CPU is every core's busy time " +
          '(/proc/stat) over the drain, and over the baseline, per delivery: where both keep every core busy, a ' +
          "ratio of R to the baseline caps the rate at about 1/R of the baseline's. PostgreSQL CPU is its processes' time " +
          "over the drain. The floor runs the dispatcher's own repositories in a process of their own (store, claim, " +
          'record as successes; one round after another, no Kafka, HTTP, rendering or signing) after the apps stop.',
      ],
    };
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Where the live latency goes, per stage, from the rows the apps leave: change committed (updatedAt) → outbox
 * row published to Kafka → delivery created by the dispatcher's consumer → attempt started → received.
 */
async function stagesOf(sandbox: Sandbox, firsts: readonly FirstAttempt[]) {
  const rows = await sandbox.query<{ event_id: string; published: number; intake: number }>(
    `SELECT o.event_id, extract(epoch FROM o.published_at) * 1000 AS published,
            extract(epoch FROM d.created_at) * 1000 AS intake
     FROM outbox o JOIN webhook_deliveries d ON d.event_id = o.event_id
     WHERE o.event_id = ANY($1)`,
    [firsts.map((f) => f.eventId)],
  );
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  const stages = {
    toKafka: [] as number[],
    toDelivery: [] as number[],
    toAttempt: [] as number[],
    toReceiver: [] as number[],
  };
  for (const f of firsts) {
    const row = byId.get(f.eventId);
    const attemptAt = Date.parse(JSON.parse(f.body)?.webhookMetadata?.webhookDeliveryAttemptTimestamp ?? '');
    if (!row || !Number.isFinite(attemptAt)) continue;
    stages.toKafka.push(Number(row.published) - f.changedAt);
    stages.toDelivery.push(Number(row.intake) - Number(row.published));
    stages.toAttempt.push(attemptAt - Number(row.intake));
    stages.toReceiver.push(f.receivedAt - attemptAt);
  }
  return Object.fromEntries(Object.entries(stages).map(([stage, values]) => [stage, distribution(values)]));
}

function latencyOf(firsts: readonly FirstAttempt[]) {
  return distribution(firsts.map((f) => f.receivedAt - f.changedAt).filter(Number.isFinite));
}

/** The gateway's outbox relay has published every change to Kafka (so the backlog is all in the topic). */
function outboxPublished(sandbox: Sandbox): Promise<true> {
  return waitUntil(
    'the outbox to be published',
    async () => {
      const [{ left }] = await sandbox.query<{ left: number }>(
        'SELECT count(*)::int AS left FROM outbox WHERE published_at IS NULL',
      );
      return left === 0 ? true : undefined;
    },
    60_000,
  );
}
