import type { BenchContext } from '../bench-context';
import { externalIdOf } from '../event-payloads';
import { createApiKey, insertCustomers, putCustomers } from '../fixtures';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import type { Scenario, ScenarioOutcome } from '../scenario';
import { waitUntil } from '../stats';
import type { E2eJob, E2eSummary } from '../workers/e2e-latency.worker';

const NAME = 'e2e-latency';

/** Events offered at a steady rate through the gateway; per sampled event, POST → readable on the timeline API. */
export const e2eLatencyScenario: Scenario = {
  name: NAME,
  run: (ctx: BenchContext) =>
    ctx.withSandbox(NAME, async (sandbox): Promise<ScenarioOutcome> => {
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

      ctx.log(
        `${NAME}: ${p.ratePerS} events/s for ${p.durationS} s (+${p.warmupS} s warm-up), 1 in ${p.sampleEvery} timed`,
      );
      const result = await runWorker<E2eSummary>('e2e-latency', {
        gatewayUrl: gateway.url,
        projectorUrl: projector.url,
        apiKey: key.apiKey,
        ratePerS: p.ratePerS,
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

      return {
        rows: [
          resultRow(NAME, 'POST → readable p50', 'ms', s.p50, { atMost: 50 }),
          resultRow(NAME, 'POST → readable p95', 'ms', s.p95),
          resultRow(NAME, 'POST → readable p99', 'ms', s.p99, { atMost: 250 }),
          resultRow(NAME, 'POST → readable max', 'ms', s.max),
          resultRow(NAME, 'events/s offered (measured window)', 'events/s', result.offeredPerS, {
            atLeast: p.ratePerS * 0.95,
          }),
          resultRow(
            NAME,
            'samples not seen in 30 s + failed POSTs',
            '',
            result.samplesTimedOut + result.failed,
            {
              equals: 0,
            },
          ),
        ],
        details: { ...result },
        notes: [
          `${p.ratePerS} events/s paced over keep-alive connections for ${p.durationS} s after a ${p.warmupS} s warm-up ` +
            `ramping up from 0; ` +
            `one event in ${p.sampleEvery} goes to one of ${p.samplePool} dedicated customers, whose live timeline ` +
            `streams (SSE) are open; when the stream announces the item, its timeline is read with limit=1 (again ` +
            `every ${p.pollEveryMs} ms should it not show yet), and the sample is the time from the POST's start to ` +
            `that read's answer (${s.count} samples). Announcing through the stream rather than polling keeps the ` +
            `measurement from loading the projector it measures.`,
        ],
      };
    }),
};
