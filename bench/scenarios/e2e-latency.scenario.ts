import { externalIdOf } from '../event-payloads';
import { createApiKey, insertCustomers, putCustomers } from '../fixtures';
import { load } from '../load';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import { waitUntil } from '../stats';
import type { E2eJob, E2eSummary } from '../workers/e2e-latency.worker';

const NAME = 'e2e-latency';

/**
 * Events offered at a steady rate through the gateway (half its capacity probed in this run, then a fixed rate
 * where capacity allows); per sampled event, POST → readable on the timeline API.
 */
export const e2eLatencyScenario = sandboxedScenario(NAME, async (ctx, sandbox): Promise<ScenarioOutcome> => {
  const p = ctx.params.e2eLatency;
  const key = await createApiKey(sandbox);
  // The bulk of the traffic: customers the gateway knows (the projector needs no directory entry to write).
  await insertCustomers(sandbox, key, 'ce_', p.customers);
  const [gateway, projector] = await Promise.all([
    ctx.startApp('gateway', sandbox, NAME),
    ctx.startApp('projector', sandbox, NAME),
  ]);
  // Sampled customers are read through the timeline API, so they must be in the projector's directory.
  const sampleCustomers = Array.from({ length: p.samplePool }, (_, n) => externalIdOf('es_', n));
  await putCustomers(gateway.url, key.apiKey, sampleCustomers);
  await waitUntil(
    'the projector to know the sampled customers',
    async () => {
      const [{ known }] = await sandbox.query<{ known: number }>(
        'SELECT count(*)::int AS known FROM customer_directory WHERE workspace_id = $1',
        [key.workspaceId],
      );
      return known >= p.samplePool ? true : undefined;
    },
    60_000,
  );

  // Capacity first, on this gateway in this run, so the paced load is half of what it can take today.
  ctx.log(`${NAME}: capacity probe, ${p.probeConnections} connections, ${p.probeS} s`);
  const probe = await load(
    gateway.url,
    key.apiKey,
    { connections: p.probeConnections, durationS: p.probeS, warmupS: 1 },
    { kind: 'single-event', customerPrefix: 'ce_', customers: p.customers },
  );
  const capacity = probe.requestsPerS;
  const halfRate = Math.max(1, Math.floor(capacity / 2));

  const paced = async (ratePerS: number) => {
    ctx.log(
      `${NAME}: ${ratePerS} events/s for ${p.durationS} s (+${p.warmupS} s warm-up), 1 in ${p.sampleEvery} timed`,
    );
    const result = await runWorker<E2eSummary>('e2e-latency', {
      kind: 'event',
      gatewayUrl: gateway.url,
      projectorUrl: projector.url,
      apiKey: key.apiKey,
      ratePerS,
      warmupS: p.warmupS,
      durationS: p.durationS,
      sampleEvery: p.sampleEvery,
      sampleCustomers,
      customerPrefix: 'ce_',
      customers: p.customers,
      pollEveryMs: p.pollEveryMs,
      timeoutMs: 30_000,
    } satisfies E2eJob);
    const s = result.samples;
    ctx.log(`${NAME}: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms over ${s.count} samples`);
    return result;
  };
  const rowsAt = (label: string, ratePerS: number, result: E2eSummary) => [
    resultRow(NAME, `POST → readable p50 (${label})`, 'ms', result.samples.p50, { atMost: 20 }),
    resultRow(NAME, `POST → readable p95 (${label})`, 'ms', result.samples.p95),
    resultRow(NAME, `POST → readable p99 (${label})`, 'ms', result.samples.p99, { atMost: 100 }),
    resultRow(NAME, `POST → readable max (${label})`, 'ms', result.samples.max),
    resultRow(NAME, `events/s offered (${label})`, 'events/s', result.offeredPerS, {
      atLeast: ratePerS * 0.95,
    }),
    resultRow(
      NAME,
      `samples not seen in 30 s + failed POSTs (${label})`,
      '',
      result.samplesTimedOut + result.failed,
      {
        equals: 0,
      },
    ),
  ];

  const half = await paced(halfRate);
  // The fixed rate of earlier runs, where this machine's capacity allows it (with a quarter to spare).
  const fixed = capacity >= p.ratePerS * 1.25 ? await paced(p.ratePerS) : undefined;
  const rows = [
    resultRow(NAME, 'gateway capacity (single events, probe)', 'req/s', capacity),
    ...rowsAt(`half capacity, ${halfRate}/s`, halfRate, half),
    ...(fixed ? rowsAt(`${p.ratePerS}/s`, p.ratePerS, fixed) : []),
  ];

  return {
    rows,
    details: { capacityProbe: probe, halfCapacity: half, ...(fixed ? { fixedRate: fixed } : {}) },
    notes: [
      `The gateway's capacity is probed first (${p.probeConnections} connections, ${p.probeS} s: ` +
        `${Math.round(capacity)} req/s); the paced load is half of it (${halfRate} events/s), then ` +
        `${p.ratePerS} events/s ` +
        (fixed ? 'as well. ' : 'was not run: the capacity is under 1.25 times that rate. ') +
        `Each paced run lasts ${p.durationS} s after a ${p.warmupS} s warm-up ramping up from 0, over keep-alive ` +
        `connections; one event in ${p.sampleEvery} goes to one of ${p.samplePool} dedicated customers, whose ` +
        `live timeline streams (SSE) are open; when the stream announces the item, its timeline is read with ` +
        `limit=1 (again every ${p.pollEveryMs} ms should it not show yet), and the sample is the time from the ` +
        `POST's start to that read's answer (${half.samples.count} samples at half capacity). Announcing ` +
        `through the stream rather than polling keeps the measurement from loading the projector it measures.`,
    ],
  };
});
