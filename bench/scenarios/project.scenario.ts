import { TOPICS } from '@app/contracts';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Partitioners } from 'kafkajs';
import { consumerBatches, scrapeMetrics } from '../app-metrics';
import type { BenchContext } from '../bench-context';
import { customerEventMessage, syntheticCustomers, toKafkaMessage } from '../customer-event-messages';
import { createApiKey } from '../fixtures';
import { kafkaClient } from '../infra';
import { GroupProgress } from '../kafka-offsets';
import { resultRow } from '../result-row';
import type { Sandbox } from '../sandbox';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';
import { CpuWindow } from '../cpu-usage';
import { sleep } from '../stats';

const NAME = 'project';
const STALL_MS = 30_000;
const COLUMNS = 'id, workspace_id, customer_id, type, payload, occurred_at, created_at';

/**
 * The projector catching up on a backlog already in the topic, from empty tables, vs PostgreSQL's COPY of the
 * same rows into a table with the same indexes.
 */
export const projectScenario = sandboxedScenario(NAME, async (ctx, sandbox): Promise<ScenarioOutcome> => {
  const p = ctx.params.project;
  const dir = mkdtempSync(join(tmpdir(), 'sdbench-'));
  const csvFile = join(dir, 'timeline.csv');
  try {
    // The workspace must exist: the projector refuses (dead-letters) events of unknown workspaces.
    const { workspaceId } = await createApiKey(sandbox);
    ctx.log(`${NAME}: producing ${p.events.toLocaleString('en-US')} events into the topic (not timed)`);
    await produceBacklog(ctx, sandbox, workspaceId, p.events, p.customers, csvFile);

    ctx.log(`${NAME}: projector catching up`);
    const groupId = sandbox.group('projector');
    const progress = new GroupProgress(ctx.infra, groupId, sandbox.topic(TOPICS.customerEvents));
    await progress.connect();
    const spawned = performance.now();
    const projector = await ctx.startApp('projector', sandbox, NAME, { PROJECTOR_GROUP_ID: groupId });
    const ready = performance.now();
    const projectWindow = CpuWindow.start();
    const projectorCpu = projector.cpuSeconds();
    // Fails fast when the group stops moving (a stuck or crashing projector), with the projector's logs.
    let last = Infinity;
    let movedAt = Date.now();
    for (let remaining = await progress.remaining(); remaining > 0; remaining = await progress.remaining()) {
      if (remaining < last) [last, movedAt] = [remaining, Date.now()];
      if (Date.now() - movedAt > STALL_MS)
        throw new Error(
          `the projector made no progress for ${STALL_MS} ms (${remaining} left):\n${projector.logs}`,
        );
      await sleep(100);
    }
    const caughtUp = performance.now();
    const projectUse = projectWindow.stop();
    const projectorCpuMs = ((projector.cpuSeconds() - projectorCpu) * 1000) / p.events;
    const batches = consumerBatches(await scrapeMetrics(projector.url), sandbox.topic(TOPICS.customerEvents));
    await progress.disconnect();
    await ctx.stopApp(projector, NAME);
    const [{ rows }] = await sandbox.query<{ rows: number }>(
      'SELECT count(*)::int AS rows FROM timeline_items',
    );
    const projectSeconds = (caughtUp - ready) / 1000;

    ctx.log(`${NAME}: baseline (COPY into a table LIKE timeline_items INCLUDING ALL)`);
    await sandbox.query('CREATE TABLE timeline_copy (LIKE timeline_items INCLUDING ALL)');
    const copyStarted = performance.now();
    const copyWindow = CpuWindow.start();
    await psqlCopy(sandbox.databaseUrl, csvFile);
    const copyUse = copyWindow.stop();
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const perEvent = (seconds: number) => (seconds * 1000) / p.events;
    const [{ copied }] = await sandbox.query<{ copied: number }>(
      'SELECT count(*)::int AS copied FROM timeline_copy',
    );
    await sandbox.query('DROP TABLE timeline_copy');
    const eventsPerS = p.events / projectSeconds;
    const copyPerS = p.events / copySeconds;
    ctx.log(`${NAME}: projector ${Math.round(eventsPerS)} events/s; COPY ${Math.round(copyPerS)} rows/s`);

    return {
      rows: [
        resultRow(NAME, 'events/s projected', 'events/s', eventsPerS, {
          baseline: copyPerS,
          minRatio: 0.75,
          atLeast: 50_000,
        }),
        resultRow(NAME, 'timeline rows after catch-up', '', rows, { baseline: copied, equals: p.events }),
        resultRow(NAME, 'projector CPU per event', 'ms', projectorCpuMs),
        resultRow(NAME, 'PostgreSQL CPU per event vs per COPY row', 'ms', perEvent(projectUse.postgresS), {
          baseline: perEvent(copyUse.postgresS),
        }),
        resultRow(
          NAME,
          'machine CPU per event (every process) vs per COPY row',
          'ms',
          perEvent(projectUse.machineS),
          { baseline: perEvent(copyUse.machineS) },
        ),
      ],
      details: {
        events: p.events,
        bootSeconds: (ready - spawned) / 1000,
        catchUpSecondsFromReady: projectSeconds,
        catchUpSecondsFromSpawn: (caughtUp - spawned) / 1000,
        rowsProjected: rows,
        consumerBatches: batches,
        copySeconds,
        rowsCopied: copied,
        cpuSeconds: { project: projectUse, copy: copyUse },
        projectorCpuMs,
      },
      notes: [
        `${p.events.toLocaleString('en-US')} events over ${p.customers.toLocaleString('en-US')} customers in 12 partitions; ` +
          'timed from /health/ready until the group committed every partition up to its high watermark ' +
          `(boot took ${((ready - spawned) / 1000).toFixed(1)} s more). Baseline: psql \\copy of the same rows (CSV). ` +
          "Machine CPU is every core's busy time (/proc/stat) over the catch-up and over the COPY, per event.",
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Produces the backlog with kafkajs (acks=all) and writes the same rows as CSV for the COPY baseline. */
async function produceBacklog(
  ctx: BenchContext,
  sandbox: Sandbox,
  workspaceId: string,
  events: number,
  customerCount: number,
  csvFile: string,
): Promise<void> {
  const producer = kafkaClient(ctx.infra, 'bench-backlog').producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const csv = createWriteStream(csvFile);
  const customers = syntheticCustomers('cp_', customerCount);
  const topic = sandbox.topic(TOPICS.customerEvents);
  const BATCH = 1000;
  let next = 0;
  const loop = async () => {
    while (next < events) {
      const from = next;
      next = Math.min(events, next + BATCH);
      const values = [];
      for (let n = from; n < next; n++)
        values.push(customerEventMessage(workspaceId, customers[n % customers.length], n));
      await writeCsv(
        csv,
        values
          .map((v) =>
            [
              v.id,
              v.workspaceId,
              v.customerId,
              v.type,
              `"${JSON.stringify(v.payload).replace(/"/g, '""')}"`,
              v.occurredAt,
              v.createdAt,
            ].join(','),
          )
          .join('\n') + '\n',
      );
      await producer.send({ topic, messages: values.map(toKafkaMessage), acks: -1 });
    }
  };
  try {
    await Promise.all(Array.from({ length: 4 }, loop));
  } finally {
    await new Promise<void>((resolve, reject) =>
      csv.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await producer.disconnect();
  }
}

function writeCsv(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', () => resolve())));
}

function psqlCopy(databaseUrl: string, csvFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'psql',
      [
        databaseUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `\\copy timeline_copy (${COLUMNS}) FROM '${csvFile}' WITH (FORMAT csv)`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql \\copy failed (${code}): ${stderr}`)),
    );
  });
}
