import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '@app/database';
import { request } from '@test/support/api-client';
import { AppProcess, DIST_DIR } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { ROOT } from '@test/support/infra-state';
import { useOwnTopics } from '@test/support/own-topics';

const CUSTOMERS = 20;

/** Every 100th line is invalid, in turn: malformed JSON, a bad type, an unknown customer. */
function generate(file: string, lines: number, customers: string[], tag: string): number {
  const out: string[] = [];
  let invalid = 0;
  for (let i = 1; i <= lines; i++) {
    if (i % 100 === 0) {
      invalid++;
      const kind = (i / 100) % 3;
      if (kind === 0) out.push('{"customerExternalId": "broken"');
      else if (kind === 1) out.push(JSON.stringify({ customerExternalId: customers[0], type: 'Not A Type' }));
      else out.push(JSON.stringify({ customerExternalId: 'nobody_here', type: 'order.placed' }));
      continue;
    }
    out.push(
      JSON.stringify({
        customerExternalId: customers[i % customers.length],
        type: 'order.placed',
        payload: { orderId: `${tag}-${i}`, total: i / 10 },
        occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
      }),
    );
  }
  writeFileSync(file, `${out.join('\n')}\n`);
  return lines - invalid;
}

function runImport(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(ROOT, DIST_DIR, 'apps/cli/src/main.js'), 'import', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe('cli import (historical import through the batch endpoint)', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  const customers = Array.from({ length: CUSTOMERS }, () => uniqueExternalId('imp'));
  const dir = mkdtempSync(join(tmpdir(), 'import-'));

  /** The arguments of an import of `file` with this run's key and gateway, JSON output, rejects allowed. */
  const importArgs = (file: string, ...options: string[]) => [
    ...['--file', file, '--api-key', apiKey, '--gateway-url', gateway.url, '--json'],
    ...options,
    '--allow-rejects',
  ];

  async function storedEvents(): Promise<number> {
    const ds = await openDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 1,
      applicationName: 'import-spec',
    });
    try {
      const rows: Array<{ n: string }> = await ds.query(
        `SELECT count(*) AS n FROM timeline_items WHERE workspace_id = $1 AND type = 'order.placed'`,
        [workspaceId],
      );
      return Number(rows[0].n);
    } finally {
      await ds.destroy();
    }
  }

  beforeAll(async () => {
    await useOwnTopics('cli-import');
    [gateway, projector] = await Promise.all([AppProcess.start('gateway'), AppProcess.start('projector')]);
    ({ apiKey, workspaceId } = await createApiKey());
    for (const externalId of customers) {
      const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
        apiKey,
        body: { email: `${externalId}@example.com`, fullName: externalId },
      });
      expect(put.status).toBe(201);
    }
  });

  afterAll(() => Promise.all([gateway?.stop(), projector?.stop()]));

  it('imports a 100,000-line file, writes the rejected lines with their errors, and a rerun stores nothing twice', async () => {
    const file = join(dir, 'events.ndjson');
    const valid = generate(file, 100_000, customers, 'big');
    const args = importArgs(file, '--concurrency', '4');

    const first = await runImport(args).done;
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({
      totalLines: 100_000,
      accepted: valid,
      rejected: 100_000 - valid,
      interrupted: false,
    });

    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects).toHaveLength(100_000 - valid);
    expect(rejects.every((r: { line: number }) => r.line % 100 === 0)).toBe(true);
    expect(new Set(rejects.map((r: { error: { code: string } }) => r.error.code))).toEqual(
      new Set(['VALIDATION_ERROR', 'CUSTOMER_NOT_FOUND']),
    );
    expect(existsSync(`${file}.checkpoint.json`)).toBe(false);
    await eventually(async () => expect(await storedEvents()).toBe(valid), 120_000, 1000);

    const rerun = await runImport(args).done;
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout.trim().split('\n').pop()!)).toMatchObject({ accepted: valid });
    // Give the projector time to see anything a rerun might have published again: it must store nothing new.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await storedEvents()).toBe(valid);
  });

  it('resumes from its checkpoint after Ctrl-C and ends with every valid line stored once', async () => {
    const before = await storedEvents();
    const file = join(dir, 'resume.ndjson');
    const valid = generate(file, 30_000, customers, 'resume');
    const args = importArgs(file, '--concurrency', '1', '--batch-size', '200');

    const interrupted = runImport(args);
    await eventually(() => expect(existsSync(`${file}.checkpoint.json`)).toBe(true), 60_000, 20);
    interrupted.child.kill('SIGINT');
    const stopped = await interrupted.done;
    const partial = JSON.parse(stopped.stdout.trim().split('\n').pop()!);
    expect(partial.interrupted).toBe(true);
    expect(partial.linesDone).toBeLessThan(30_000);

    const resumed = await runImport(args).done;
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split('\n').pop()!);
    expect(summary.resumedFrom).toBeGreaterThan(0);
    // Its rate is measured on the lines this run did, not on those the checkpoint skipped.
    expect(summary.linesThisRun).toBe(30_000 - summary.resumedFrom);
    expect(summary).toMatchObject({ accepted: valid, rejected: 30_000 - valid, interrupted: false });
    await eventually(async () => expect(await storedEvents()).toBe(before + valid), 120_000, 1000);
  });

  it('counts blank lines, writes rejected lines in line order, reads the key from SUPPORTDESK_API_KEY, and exits 2 on rejects unless --allow-rejects', async () => {
    const file = join(dir, 'small.ndjson');
    const lines: string[] = [];
    const rejectedAt: number[] = [];
    for (let i = 1; i <= 120; i++) {
      if (i % 10 === 0) lines.push('');
      else if (i % 7 === 0) {
        // Alternating local (not JSON) and server-side (unknown customer) rejects, spread over the batches.
        lines.push(
          i % 2 ? '{not json' : JSON.stringify({ customerExternalId: 'nobody', type: 'order.placed' }),
        );
        rejectedAt.push(i);
      } else
        lines.push(JSON.stringify({ customerExternalId: customers[i % CUSTOMERS], type: 'order.placed' }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const args = [
      '--file',
      file,
      '--gateway-url',
      gateway.url,
      '--json',
      '--batch-size',
      '5',
      '--concurrency',
      '8',
    ];
    const env = { SUPPORTDESK_API_KEY: apiKey };

    const strict = await runImport(args, env).done;
    expect(strict.code).toBe(2);
    const summary = JSON.parse(strict.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({
      totalLines: 120,
      linesDone: 120,
      blank: 12,
      rejected: rejectedAt.length,
      accepted: 120 - 12 - rejectedAt.length,
      interrupted: false,
    });
    const written = readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { line: number }).line);
    expect(written).toEqual(rejectedAt);

    const allowed = await runImport([...args, '--allow-rejects'], env).done;
    expect(allowed.code).toBe(0);
  });
});
