import { TOPICS } from '@app/contracts';
import { externalIdOf } from '../event-payloads';
import { createApiKey, putCustomers } from '../fixtures';
import { load } from '../load';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import { CpuWindow } from '../cpu-usage';
import { waitUntil } from '../stats';
import type { E2eJob, E2eSummary } from '../workers/e2e-latency.worker';
import type { RawSqlWritesJob, RawSqlWritesSummary } from '../workers/raw-sql-writes.worker';

const NAME = 'customer-writes';

/**
 * PATCH /customers/{id} through the gateway (lock, write, outbox, NOTIFY, commit; the relay publishes) against
 * the same transaction in raw SQL with as many clients as connections; then, at half the PATCH rate measured
 * here, each sampled change timed from the PATCH's start to the first timeline read that shows it.
 */
export const customerWritesScenario = sandboxedScenario(
  NAME,
  async (ctx, sandbox): Promise<ScenarioOutcome> => {
    const p = ctx.params.customerWrites;
    const key = await createApiKey(sandbox);
    const [gateway, projector] = await Promise.all([
      ctx.startApp('gateway', sandbox, NAME),
      ctx.startApp('projector', sandbox, NAME),
    ]);
    const customers = Array.from({ length: p.customers }, (_, n) => externalIdOf('cw_', n));
    const sampleCustomers = Array.from({ length: p.samplePool }, (_, n) => externalIdOf('cws_', n));
    await putCustomers(gateway.url, key.apiKey, [...customers, ...sampleCustomers]);
    await waitUntil(
      'the projector to know every customer',
      async () => {
        const [{ known }] = await sandbox.query<{ known: number }>(
          'SELECT count(*)::int AS known FROM customer_directory WHERE workspace_id = $1',
          [key.workspaceId],
        );
        return known >= customers.length + sampleCustomers.length ? true : undefined;
      },
      120_000,
    );

    ctx.log(`${NAME}: gateway, PATCH, ${p.connections} connections, ${p.durationS} s`);
    const gatewayCpu = gateway.cpuSeconds();
    const projectorCpu = projector.cpuSeconds();
    const patchWindow = CpuWindow.start();
    const measured = await load(gateway.url, key.apiKey, p, {
      kind: 'patch-customer',
      customerPrefix: 'cw_',
      customers: p.customers,
    });
    const patchUse = patchWindow.stop();
    const patches = measured.ok + measured.warmupOk;
    const gatewayCpuMs = ((gateway.cpuSeconds() - gatewayCpu) * 1000) / patches;

    const halfRate = Math.max(1, Math.floor(measured.requestsPerS / 2));
    ctx.log(`${NAME}: change → timeline at half capacity, ${halfRate} PATCH/s for ${p.latencyS} s`);
    const latency = await runWorker<E2eSummary>('e2e-latency', {
      kind: 'patch',
      gatewayUrl: gateway.url,
      projectorUrl: projector.url,
      apiKey: key.apiKey,
      ratePerS: halfRate,
      warmupS: p.warmupS,
      durationS: p.latencyS,
      sampleEvery: 10,
      sampleCustomers,
      customerPrefix: 'cw_',
      customers: p.customers,
      pollEveryMs: 5,
      timeoutMs: 30_000,
    } satisfies E2eJob);
    // Every change the run made (a PATCH that changes nothing makes none): each one raised a version.
    const [{ allChanges }] = await sandbox.query<{ allChanges: number }>(
      'SELECT (sum(version) - count(*))::int AS "allChanges" FROM customers WHERE workspace_id = $1',
      [key.workspaceId],
    );
    // The projector applies them all (its CPU is read once it has caught up).
    await waitUntil(
      'the projector to apply every change',
      async () => {
        const [{ items }] = await sandbox.query<{ items: number }>(
          "SELECT count(*)::int AS items FROM timeline_items WHERE workspace_id = $1 AND type = 'customer.customer_updated'",
          [key.workspaceId],
        );
        return items >= allChanges ? true : undefined;
      },
      120_000,
      250,
    );
    const projectorCpuMs = ((projector.cpuSeconds() - projectorCpu) * 1000) / allChanges;
    await Promise.all([ctx.stopApp(gateway, NAME), ctx.stopApp(projector, NAME)]);

    ctx.log(`${NAME}: baseline (the same transaction in raw SQL, ${p.connections} clients)`);
    const baselineWindow = CpuWindow.start();
    const baseline = await runWorker<RawSqlWritesSummary>('raw-sql-writes', {
      databaseUrl: sandbox.databaseUrl,
      workspaceId: key.workspaceId,
      topic: TOPICS.customerChanges,
      customerPrefix: 'cw_',
      customers: p.customers,
      clients: p.connections,
      warmupS: p.warmupS,
      durationS: p.durationS,
    } satisfies RawSqlWritesJob);
    const baselineUse = baselineWindow.stop();
    const perPatch = (seconds: number) => (seconds * 1000) / patches;
    const perTransaction = (seconds: number) => (seconds * 1000) / baseline.transactionsAll;
    ctx.log(
      `${NAME}: gateway ${Math.round(measured.requestsPerS)} PATCH/s; raw SQL ${Math.round(baseline.transactionsPerS)}/s`,
    );

    const s = latency.samples;
    return {
      rows: [
        resultRow(NAME, 'PATCH/s (200) vs raw SQL transactions/s', 'req/s', measured.requestsPerS, {
          baseline: baseline.transactionsPerS,
          minRatio: 0.5,
        }),
        resultRow(NAME, 'PATCH latency p50 vs raw SQL', 'ms', measured.latencyMs.p50, {
          baseline: baseline.latencyMs.p50,
        }),
        resultRow(NAME, 'PATCH latency p99 vs raw SQL', 'ms', measured.latencyMs.p99, {
          baseline: baseline.latencyMs.p99,
        }),
        resultRow(NAME, 'errors + non-2xx', '', measured.errors + measured.timeouts + measured.non2xx, {
          equals: 0,
        }),
        resultRow(NAME, 'gateway CPU per PATCH', 'ms', gatewayCpuMs, {
          baseline: baseline.cpuMsPerTransaction,
        }),
        resultRow(NAME, 'projector CPU per change', 'ms', projectorCpuMs),
        resultRow(
          NAME,
          'PostgreSQL CPU per PATCH vs per raw SQL transaction',
          'ms',
          perPatch(patchUse.postgresS),
          {
            baseline: perTransaction(baselineUse.postgresS),
          },
        ),
        resultRow(
          NAME,
          'machine CPU per PATCH (every process) vs per raw SQL transaction',
          'ms',
          perPatch(patchUse.machineS),
          { baseline: perTransaction(baselineUse.machineS) },
        ),
        resultRow(NAME, `change → on the timeline p50 (${halfRate}/s)`, 'ms', s.p50),
        resultRow(NAME, `change → on the timeline p99 (${halfRate}/s)`, 'ms', s.p99, { atMost: 250 }),
        resultRow(
          NAME,
          'changes not seen in 30 s + failed PATCHes',
          '',
          latency.samplesTimedOut + latency.failed,
          {
            equals: 0,
          },
        ),
      ],
      details: {
        gateway: measured,
        gatewayCpuMs,
        projectorCpuMs,
        latency,
        baseline,
        cpuSeconds: { patches: patchUse, baseline: baselineUse },
      },
      notes: [
        `${p.customers} customers (created through the gateway), ${p.connections} connections, ${p.durationS} s ` +
          `after a ${p.warmupS} s warm-up; each PATCH sets a new fullName. The baseline runs the same ` +
          `transaction (SELECT … FOR UPDATE, UPDATE of every column, INSERT into the outbox, NOTIFY, COMMIT) ` +
          `with node-postgres, ${p.connections} clients, on the same database after the apps stopped. Latency: ` +
          `${halfRate} PATCH/s (half the rate measured), one in ten to one of ${p.samplePool} customers whose ` +
          `live timelines are open, timed to the first timeline read showing the change (${s.count} samples). ` +
          "Machine CPU is every core's busy time (/proc/stat) during the PATCH load (the projector, relay and " +
          'broker at work too) and during the baseline, per PATCH and per transaction, warm-ups included: where ' +
          "both keep every core busy, a ratio of R caps the PATCH rate at about 1/R of the baseline's.",
      ],
    };
  },
);
