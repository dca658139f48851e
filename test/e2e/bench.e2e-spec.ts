import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DIST_DIR } from '@test/support/app-process';
import { ROOT } from '@test/support/infra-state';

interface Row {
  scenario: string;
  figure: string;
  value: number | null;
  baseline: number | null;
  ratio: number | null;
  met: boolean | null;
}

/** Each scenario's throughput figure is paired with a same-run baseline; these must carry one. */
const WITH_BASELINE: Record<string, string> = {
  'ingest-single': 'requests/s (201) vs floor',
  'ingest-batch': 'events/s accepted',
  project: 'events/s projected',
  webhooks: 'first attempts/s, draining a backlog',
  'customer-writes': 'PATCH/s (200) vs raw SQL transactions/s',
};
const SCENARIOS = [
  'ingest-single',
  'ingest-batch',
  'ingest-burst',
  'project',
  'e2e-latency',
  'customer-writes',
  'webhooks',
];

function runBench(
  args: string[],
  entry = 'bench/main.js',
): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve) => {
    // The child inherits this run's DATABASE_URL and KAFKA_BROKERS: the bench uses the jest run's server and broker.
    const child = spawn(process.execPath, [join(ROOT, DIST_DIR, entry), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output, stdout }));
  });
}

async function leftovers(runId: string): Promise<{ databases: string[]; topics: string[] }> {
  return leftoversOf(`sdbench_${runId}`, `bench-${runId}`);
}

async function leftoversOf(
  databasePrefix: string,
  topicPrefix: string,
): Promise<{ databases: string[]; topics: string[] }> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client
    .query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${databasePrefix}%`,
    ])
    .finally(() => client.end());
  const admin = new Kafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const topics = await admin.listTopics().finally(() => admin.disconnect());
  return {
    databases: rows.map((r) => r.datname),
    topics: topics.filter((t) => t.startsWith(topicPrefix)),
  };
}

describe('the benchmark harness (npm run bench), at tiny scale', () => {
  let out: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs every scenario in its own sandbox and records each figure with its same-run baseline', async () => {
    const { code, output } = await runBench([...SCENARIOS, '--scale', 'tiny', '--no-readme', '--out', out]);
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });

    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    expect(json).toBeDefined();
    expect(files).toContain(json!.replace(/\.json$/, '.md'));
    const result = JSON.parse(readFileSync(join(out, json!), 'utf8'));
    expect(result).toMatchObject({ scale: 'tiny', scenarios: SCENARIOS, failures: {} });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.memoryGiB).toBeGreaterThan(0);
    expect(typeof result.machine.cpuModel).toBe('string');

    const rows = result.rows as Row[];
    for (const scenario of SCENARIOS) {
      const own = rows.filter((r) => r.scenario === scenario);
      expect(own.length).toBeGreaterThan(0);
      for (const row of own)
        expect({ figure: `${scenario}: ${row.figure}`, value: row.value }).toEqual({
          figure: `${scenario}: ${row.figure}`,
          value: expect.any(Number),
        });
    }
    for (const [scenario, figure] of Object.entries(WITH_BASELINE)) {
      const row = rows.find((r) => r.scenario === scenario && r.figure === figure);
      expect(row).toBeDefined();
      expect(row!.value).toBeGreaterThan(0);
      expect(row!.baseline).toBeGreaterThan(0);
      expect(row!.ratio).toBeCloseTo(row!.value! / row!.baseline!, 5);
      expect(typeof row!.met).toBe('boolean');
    }
    const memory = rows.filter((r) => r.scenario === 'memory').map((r) => r.figure.split(' ')[0]);
    expect(memory.sort()).toEqual(['gateway', 'projector', 'webhook-dispatcher']);

    // Every scenario's database and topics are gone.
    expect(await leftovers(result.runId)).toEqual({ databases: [], topics: [] });
  }, 180_000);

  it('compares the gateway of two builds side by side: per round, and the ratios (this build with itself)', async () => {
    const { code, output, stdout } = await runBench(
      ['--before', ROOT, '--rounds', '2', '--slice', '1', '--load', 'batch'],
      'bench/compare-builds.js',
    );

    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(output).toMatch(/round 1: CPU per event [\d.]+ → [\d.]+ µs/);
    expect(output).toMatch(/round 2: CPU per event [\d.]+ → [\d.]+ µs/);
    expect(stdout).toContain('failed requests: before 0, after 0');
    for (const figure of ['CPU per event (µs)', 'events/s']) {
      const row = stdout.split('\n').find((line) => line.startsWith(`| ${figure} |`));
      expect(row).toBeDefined();
      const [, , before, after, geomean] = row!.split('|').map((cell) => cell.trim());
      const values = (cell: string) => cell.split(' / ').map(Number);
      expect(values(before)).toHaveLength(2);
      expect(values(after)).toHaveLength(2);
      for (const v of [...values(before), ...values(after)]) expect(v).toBeGreaterThan(0);
      const ratios = values(after).map((v, i) => v / values(before)[i]);
      expect(Number(geomean)).toBeCloseTo(Math.sqrt(ratios[0] * ratios[1]), 2);
    }
    expect(await leftoversOf('sdbench_cmp', 'bench-cmp')).toEqual({ databases: [], topics: [] });
  }, 180_000);

  it('refuses a comparison without a build to compare with, saying how it is used', async () => {
    const { code, output } = await runBench(['--rounds', '2'], 'bench/compare-builds.js');

    expect(code).toBe(1);
    expect(output).toContain('--before is required');
    expect(output).toContain('usage: npm run bench -- compare --before <checkout>');
  });
});
