import { TOPICS } from '@app/contracts';
import { warmCustomerCache } from '../customer-cache-warm-up';
import { createApiKey, insertCustomers } from '../fixtures';
import { messagesIn } from '../kafka-offsets';
import { load } from '../load';
import { resultRow } from '../result-row';
import { runWorker } from '../run-worker';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import type { ProducerJob, ProducerSummary } from '../workers/kafka-producer.worker';

const NAME = 'ingest-batch';

/** POST /customer-events/batch vs a raw kafkajs producer sending the same messages in batches of the same size. */
export const ingestBatchScenario = sandboxedScenario(NAME, async (ctx, sandbox): Promise<ScenarioOutcome> => {
  const p = ctx.params.ingestBatch;
  const topic = sandbox.topic(TOPICS.customerEvents);
  const key = await createApiKey(sandbox);
  await insertCustomers(sandbox, key, 'cb_', p.customers);
  const gateway = await ctx.startApp('gateway', sandbox, NAME);
  await warmCustomerCache(gateway.url, key.apiKey, 'cb_', p.customers);

  ctx.log(`${NAME}: gateway, ${p.batchSize} events/request, ${p.connections} connections, ${p.durationS} s`);
  const before = await messagesIn(ctx.infra, topic);
  const gatewayCpu = gateway.cpuSeconds();
  const measured = await load(gateway.url, key.apiKey, p, {
    kind: 'event-batch',
    customerPrefix: 'cb_',
    customers: p.customers,
    batchSize: p.batchSize,
    variants: 16,
  });
  const gatewayCpuMs =
    ((gateway.cpuSeconds() - gatewayCpu) * 1000) / ((measured.ok + measured.warmupOk) * p.batchSize);
  const published = (await messagesIn(ctx.infra, topic)) - before;
  await ctx.stopApp(gateway, NAME);
  // Every item of every request is valid (the warm-up's items were all accepted): a 200 is batchSize events.
  const eventsPerS = (measured.ok * p.batchSize) / measured.durationS;

  ctx.log(`${NAME}: baseline (raw kafkajs producer, acks=all, ${p.connections} sends in flight)`);
  const baseline = await runWorker<ProducerSummary>('kafka-producer', {
    brokers: ctx.infra.brokers,
    topic,
    concurrency: p.connections,
    batchSize: p.batchSize,
    customers: p.customers,
    warmupS: p.warmupS,
    durationS: p.durationS,
  } satisfies ProducerJob);
  ctx.log(
    `${NAME}: gateway ${Math.round(eventsPerS)} events/s; baseline ${Math.round(baseline.eventsPerS)} events/s`,
  );

  return {
    rows: [
      resultRow(NAME, 'events/s accepted', 'events/s', eventsPerS, {
        baseline: baseline.eventsPerS,
        minRatio: 0.7,
      }),
      resultRow(NAME, 'request latency p99', 'ms', measured.latencyMs.p99),
      resultRow(NAME, 'errors + non-2xx', '', measured.errors + measured.timeouts + measured.non2xx, {
        equals: 0,
      }),
      resultRow(NAME, 'CPU per event (gateway vs producer)', 'ms', gatewayCpuMs, {
        baseline: baseline.cpuMsPerEvent,
        maxRatio: 1.4,
      }),
    ],
    details: {
      gateway: measured,
      gatewayEventsPerS: eventsPerS,
      gatewayCpuMs,
      eventsPublishedDuringRunAndWarmup: published,
      baseline,
    },
    notes: [
      `${p.batchSize} events per request, ${p.connections} connections, ${p.durationS} s after a ${p.warmupS} s warm-up, ` +
        `${p.customers} customers; the baseline keeps as many batches of ${p.batchSize} in flight with acks=all.`,
    ],
  };
});
