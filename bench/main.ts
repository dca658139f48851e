import 'reflect-metadata';
import { BenchContext } from './bench-context';
import { parseArgs } from './cli-args';
import { checkInfra, infraFromEnv } from './infra';
import { machineInfo } from './machine';
import { gitRevision, markdownTable, type RunResult, updateReadme, writeResults } from './report';
import type { ResultRow } from './result-row';
import { scaleParams } from './scale';
import type { Scenario } from './scenario';
import { customerWritesScenario } from './scenarios/customer-writes.scenario';
import { e2eLatencyScenario } from './scenarios/e2e-latency.scenario';
import { ingestBatchScenario } from './scenarios/ingest-batch.scenario';
import { ingestBurstScenario } from './scenarios/ingest-burst.scenario';
import { ingestSingleScenario } from './scenarios/ingest-single.scenario';
import { peerHttpBridgeScenario } from './scenarios/peer-http-bridge.scenario';
import { projectScenario } from './scenarios/project.scenario';
import { webhooksScenario } from './scenarios/webhooks.scenario';

const SCENARIOS: Scenario[] = [
  ingestSingleScenario,
  ingestBatchScenario,
  ingestBurstScenario,
  projectScenario,
  e2eLatencyScenario,
  customerWritesScenario,
  webhooksScenario,
  peerHttpBridgeScenario,
];

async function main(): Promise<number> {
  const args = parseArgs(
    process.argv.slice(2),
    SCENARIOS.map((s) => s.name),
  );
  const infra = infraFromEnv();
  await checkInfra(infra);
  const ctx = new BenchContext(infra, {
    scale: args.scale,
    params: scaleParams(args.scale, args.durationS, args.events),
    cpuProfDir: args.cpuProfDir,
    webhookConcurrency: args.webhookConcurrency,
    appEnv: args.appEnv,
  });
  process.once('SIGINT', () => {
    ctx.log('interrupted: stopping the apps and removing the sandboxes');
    void ctx.abort().finally(() => process.exit(130));
  });

  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const notes: Record<string, string[]> = {};
  const failures: Record<string, string> = {};
  ctx.log(`run ${ctx.runId}, scale ${args.scale}: ${args.scenarios.join(', ')}`);
  for (const scenario of SCENARIOS.filter((s) => args.scenarios.includes(s.name))) {
    const started = performance.now();
    try {
      const outcome = await scenario.run(ctx);
      rows.push(...outcome.rows);
      details[scenario.name] = outcome.details;
      notes[scenario.name] = outcome.notes;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.log(`${scenario.name} FAILED: ${message}`);
      failures[scenario.name] = message;
    }
    ctx.log(`${scenario.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  rows.push(...ctx.memoryRows());
  details.memory = ctx.memoryDetails();
  details.appWarnings = ctx.appWarnings;

  const result: RunResult = {
    runId: ctx.runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    scale: args.scale,
    machine,
    revision: gitRevision(),
    settings: {
      webhookConcurrency: args.webhookConcurrency,
      appEnv: args.appEnv,
      durationS: args.durationS,
      events: args.events,
    },
    scenarios: args.scenarios,
    rows,
    details,
    notes,
    failures,
  };
  const files = writeResults(result, args.outDir);
  ctx.log(`results: ${files.json}, ${files.md}`);
  if (args.readme) ctx.log(`README table updated: ${updateReadme(result, files.md)}`);
  console.log(markdownTable(rows));
  return Object.keys(failures).length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
