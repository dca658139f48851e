import { TOPICS } from '@app/contracts';
import { BaselineHttpServer } from '../baseline-http-server';
import type { BenchContext } from '../bench-context';
import { createApiKey, insertCustomers } from '../fixtures';
import { messagesIn } from '../kafka-offsets';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import type { Scenario, ScenarioOutcome } from '../scenario';
import type { AutocannonJob, AutocannonSummary } from '../workers/autocannon.worker';

const NAME = 'ingest-single';

/** POST /customer-events under autocannon vs a bare node:http server that parses the body and answers 201. */
export const ingestSingleScenario: Scenario = {
  name: NAME,
  run: (ctx: BenchContext) =>
    ctx.withSandbox(NAME, async (sandbox): Promise<ScenarioOutcome> => {
      const p = ctx.params.ingestSingle;
      const key = await createApiKey(sandbox);
      const customers = await insertCustomers(sandbox, key, 'cs_', p.customers);
      const gateway = await ctx.startApp('gateway', sandbox, NAME);
      const job = (url: string): AutocannonJob => ({
        url,
        apiKey: key.apiKey,
        connections: p.connections,
        durationS: p.durationS,
        warmupS: p.warmupS,
        body: { kind: 'single-event', customerPrefix: 'cs_', customers: p.customers },
      });

      ctx.log(`${NAME}: gateway, ${p.connections} connections, ${p.durationS} s (+${p.warmupS} s warm-up)`);
      const before = await messagesIn(ctx.infra, sandbox.topic(TOPICS.customerEvents));
      const gatewayCpu = gateway.cpuSeconds();
      const measured = await runWorker<AutocannonSummary>('autocannon', job(gateway.url));
      const gatewayCpuMs = ((gateway.cpuSeconds() - gatewayCpu) * 1000) / (measured.ok + measured.warmupOk);
      const published = (await messagesIn(ctx.infra, sandbox.topic(TOPICS.customerEvents))) - before;
      await ctx.stopApp(gateway, NAME);

      ctx.log(`${NAME}: baseline (bare node:http in the harness)`);
      const server = await BaselineHttpServer.start(customers);
      const harnessCpu = process.cpuUsage();
      const baseline = await runWorker<AutocannonSummary>('autocannon', job(server.url)).finally(() =>
        server.close(),
      );
      const used = process.cpuUsage(harnessCpu);
      const baselineCpuMs = (used.user + used.system) / 1000 / (baseline.ok + baseline.warmupOk);
      ctx.log(
        `${NAME}: gateway ${Math.round(measured.requestsPerS)} req/s p99 ${measured.latencyMs.p99} ms; ` +
          `baseline ${Math.round(baseline.requestsPerS)} req/s`,
      );

      const failures = (s: AutocannonSummary) => s.errors + s.timeouts + s.non2xx;
      return {
        rows: [
          resultRow(NAME, 'requests/s (201)', 'req/s', measured.requestsPerS, {
            baseline: baseline.requestsPerS,
            minRatio: 0.5,
          }),
          resultRow(NAME, 'latency p50', 'ms', measured.latencyMs.p50, { baseline: baseline.latencyMs.p50 }),
          resultRow(NAME, 'latency p99', 'ms', measured.latencyMs.p99, {
            baseline: baseline.latencyMs.p99,
            atMost: 25,
          }),
          resultRow(NAME, 'errors + non-2xx', '', failures(measured), {
            baseline: failures(baseline),
            equals: 0,
          }),
          // CPU time per answer is what contention on a shared machine distorts least.
          resultRow(NAME, 'server CPU per request', 'ms', gatewayCpuMs, { baseline: baselineCpuMs }),
        ],
        details: {
          gateway: measured,
          gatewayCpuMs,
          baseline,
          baselineCpuMs,
          eventsPublishedDuringRunAndWarmup: published,
        },
        notes: [
          `${p.connections} connections, ${p.durationS} s after a ${p.warmupS} s warm-up, ${p.customers} customers, ` +
            'one random customer and one of four ≈300 B event shapes per request; autocannon in its own process.',
        ],
      };
    }),
};
