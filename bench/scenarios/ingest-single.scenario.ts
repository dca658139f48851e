import { TOPICS } from '@app/contracts';
import { BaselineHttpServer } from '../baseline-http-server';
import { warmCustomerCache } from '../customer-cache-warm-up';
import { FloorIngestServer } from '../floor-ingest-server';
import { kafkaClient } from '../infra';
import { createApiKey, insertCustomers } from '../fixtures';
import { messagesIn } from '../kafka-offsets';
import { load } from '../load';
import { resultRow } from '../result-row';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import type { AutocannonSummary } from '../workers/autocannon.worker';

const NAME = 'ingest-single';

/**
 * POST /customer-events under autocannon against two baselines in the harness: the floor (node:http + compiled
 * validation + kafkajs with the same linger and acks=all) and a bare node:http server that parses and answers.
 */
export const ingestSingleScenario = sandboxedScenario(
  NAME,
  async (ctx, sandbox): Promise<ScenarioOutcome> => {
    const p = ctx.params.ingestSingle;
    const key = await createApiKey(sandbox);
    const customers = await insertCustomers(sandbox, key, 'cs_', p.customers);
    const gateway = await ctx.startApp('gateway', sandbox, NAME);
    const topic = sandbox.topic(TOPICS.customerEvents);
    const run = (url: string, connections: number) =>
      load(
        url,
        key.apiKey,
        { connections, durationS: p.durationS, warmupS: p.warmupS },
        {
          kind: 'single-event',
          customerPrefix: 'cs_',
          customers: p.customers,
        },
      );

    await warmCustomerCache(gateway.url, key.apiKey, 'cs_', p.customers);
    ctx.log(`${NAME}: gateway, ${p.connections} connections, ${p.durationS} s (+${p.warmupS} s warm-up)`);
    const before = await messagesIn(ctx.infra, topic);
    const gatewayCpu = gateway.cpuSeconds();
    const measured = await run(gateway.url, p.connections);
    const gatewayCpuMs = ((gateway.cpuSeconds() - gatewayCpu) * 1000) / (measured.ok + measured.warmupOk);
    const published = (await messagesIn(ctx.infra, topic)) - before;
    ctx.log(`${NAME}: gateway, ${p.fewConnections} connections`);
    const few = await run(gateway.url, p.fewConnections);
    await ctx.stopApp(gateway, NAME);

    ctx.log(`${NAME}: floor (node:http + compiled JSON schema + kafkajs, acks=all, in the harness)`);
    const floorServer = await FloorIngestServer.start({
      kafka: kafkaClient(ctx.infra, 'bench-floor'),
      topic,
      apiKey: key.apiKey,
      workspaceId: key.workspaceId,
      customerIds: customers,
      lingerMs: 2,
      maxBatchMessages: 1000,
    });
    const floor = await measureInHarness(floorServer.url, floorServer);
    const floorFew = await run(floorServer.url, p.fewConnections);
    await floorServer.close();

    ctx.log(`${NAME}: bare node:http (in the harness)`);
    const bareServer = await BaselineHttpServer.start(customers);
    const bare = await measureInHarness(bareServer.url, bareServer);
    ctx.log(
      `${NAME}: gateway ${Math.round(measured.requestsPerS)} req/s p99 ${measured.latencyMs.p99} ms; ` +
        `floor ${Math.round(floor.summary.requestsPerS)} req/s; bare ${Math.round(bare.summary.requestsPerS)} req/s`,
    );

    const failures = (s: AutocannonSummary) => s.errors + s.timeouts + s.non2xx;
    return {
      rows: [
        resultRow(NAME, 'requests/s (201) vs floor', 'req/s', measured.requestsPerS, {
          baseline: floor.summary.requestsPerS,
          minRatio: 0.7,
        }),
        resultRow(NAME, 'requests/s (201) vs bare node:http', 'req/s', measured.requestsPerS, {
          baseline: bare.summary.requestsPerS,
        }),
        resultRow(NAME, 'floor requests/s vs bare node:http', 'req/s', floor.summary.requestsPerS, {
          baseline: bare.summary.requestsPerS,
        }),
        resultRow(
          NAME,
          `latency p50, ${p.connections} connections (vs floor)`,
          'ms',
          measured.latencyMs.p50,
          {
            baseline: floor.summary.latencyMs.p50,
          },
        ),
        resultRow(
          NAME,
          `latency p99, ${p.connections} connections (vs floor)`,
          'ms',
          measured.latencyMs.p99,
          {
            baseline: floor.summary.latencyMs.p99,
          },
        ),
        resultRow(NAME, `latency p99, ${p.fewConnections} connections (vs floor)`, 'ms', few.latencyMs.p99, {
          baseline: floorFew.latencyMs.p99,
          atMost: 25,
        }),
        resultRow(NAME, 'errors + non-2xx', '', failures(measured) + failures(few), {
          baseline: failures(floor.summary) + failures(floorFew),
          equals: 0,
        }),
        // CPU time per answer is what contention on a shared machine distorts least.
        resultRow(NAME, 'server CPU per request vs floor', 'ms', gatewayCpuMs, {
          baseline: floor.cpuMs,
          maxRatio: 1.4,
        }),
        resultRow(NAME, 'floor CPU per request vs bare node:http', 'ms', floor.cpuMs, {
          baseline: bare.cpuMs,
        }),
      ],
      details: {
        gateway: measured,
        gatewayFewConnections: few,
        gatewayCpuMs,
        floor: floor.summary,
        floorFewConnections: floorFew,
        floorCpuMs: floor.cpuMs,
        bare: bare.summary,
        bareCpuMs: bare.cpuMs,
        eventsPublishedDuringRunAndWarmup: published,
      },
      notes: [
        `${p.connections} connections (and ${p.fewConnections} for the second p99), ${p.durationS} s after a ` +
          `${p.warmupS} s warm-up, ${p.customers} customers, one random customer and one of four ≈300 B event ` +
          'shapes per request; autocannon in its own process. Before the load, one event per customer in ' +
          "batches, so the gateway's customer cache knows every customer, as the floor's map does. " +
          'The floor is `bench/floor-ingest-server.ts`: ' +
          'node:http, one compiled ajv schema, maps for the key and the customers, the same message, 2 ms ' +
          'linger, acks=all. The bare server parses and answers without validating or publishing.',
      ],
    };

    /** A server hosted by the harness: its CPU is the harness's own while the load runs. */
    async function measureInHarness(url: string, server: { close(): Promise<void> }) {
      const cpuBefore = process.cpuUsage();
      const summary = await run(url, p.connections).catch(async (error: unknown) => {
        await server.close();
        throw error;
      });
      const used = process.cpuUsage(cpuBefore);
      return { summary, cpuMs: (used.user + used.system) / 1000 / (summary.ok + summary.warmupOk) };
    }
  },
);
