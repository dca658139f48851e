import { useOwnTopics } from '@test/support/own-topics';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { newId } from '@app/contracts';
import { request } from '@test/support/api-client';
import { type AppProcess, DIST_DIR } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { ROOT } from '@test/support/infra-state';
import {
  CustomerScript,
  pageThrough,
  projectorGroup,
  projectorWithKey,
  TopicWriter,
  withDatabase,
} from './projector-fixtures';

/** `npm run cli -- projector rebuild`, as an operator runs it. */
function runRebuild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, DIST_DIR, 'apps/cli/src/main.js'), 'projector', 'rebuild', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, PROJECTOR_GROUP_ID: projectorGroup() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('projector: rebuilding the read models from the topics', () => {
  let projector: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  const writer = new TopicWriter();

  beforeAll(async () => {
    await useOwnTopics('projector-rebuild');
    ({ projector, apiKey, workspaceId } = await projectorWithKey(writer.connect()));
  });

  afterAll(async () => {
    await writer.disconnect();
    await projector?.stop();
  });

  const timeline = (externalId: string, cursor?: string) =>
    request(
      projector.url,
      'GET',
      `/api/v1/customers/${externalId}/timeline?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      {
        apiKey,
      },
    );

  it('rebuilds into fresh tables and swaps them in while the API keeps serving and events keep coming', async () => {
    const kept = new CustomerScript(workspaceId);
    const deleted = new CustomerScript(workspaceId);
    const produced = Array.from({ length: 2000 }, () => kept.event());
    await writer.changes(kept.created(), deleted.created());
    for (let i = 0; i < produced.length; i += 250) await writer.events(...produced.slice(i, i + 250));
    await writer.events(deleted.event());
    await writer.changes(deleted.deleted());
    await writer.events(deleted.event('order.after_delete'));
    await eventually(
      async () => expect(await pageThrough((c) => timeline(kept.externalId, c))).toHaveLength(2001),
      60000,
      500,
    );

    // The read model drifts from the topics: rows lost, and a row the topics never carried.
    const stray = newId('cev');
    await withDatabase(async (db) => {
      await db.query(`DELETE FROM timeline_items WHERE id = ANY($1)`, [
        produced.slice(0, 500).map((e) => e.id),
      ]);
      await db.query(
        `INSERT INTO timeline_items (id, workspace_id, customer_id, type, payload, occurred_at, created_at)
         VALUES ($1, $2, $3, 'stray.item', '{}', now(), now())`,
        [stray, workspaceId, kept.customerId],
      );
    });

    const statuses: number[] = [];
    let rebuilding = true;
    const traffic = (async () => {
      for (let n = 0; rebuilding; n++) {
        const event = kept.event('order.during_rebuild');
        produced.push(event);
        await writer.events(event);
        statuses.push((await timeline(kept.externalId)).status);
        await sleep(20);
      }
    })();
    let result: Awaited<ReturnType<typeof runRebuild>>;
    try {
      result = await runRebuild();
    } finally {
      rebuilding = false;
      await traffic;
    }

    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const report = JSON.parse(result.stdout.trim());
    expect(report).toMatchObject({
      groupId: expect.stringContaining('-rebuild-'),
      swapAttempts: expect.any(Number),
    });
    expect(report.timelineItems).toBeGreaterThanOrEqual(2001);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const ids = await eventually(
      async () => {
        const all = await pageThrough((c) => timeline(kept.externalId, c));
        expect(all).toHaveLength(produced.length + 1);
        return all;
      },
      60000,
      500,
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of produced) expect(ids).toContain(event.id);
    expect(ids).not.toContain(stray);
    expect((await timeline(deleted.externalId)).body.error.code).toBe('CUSTOMER_NOT_FOUND');
    const left = await withDatabase(async (db) => ({
      items: (
        await db.query('SELECT count(*)::int AS n FROM timeline_items WHERE customer_id = $1', [
          deleted.customerId,
        ])
      ).rows[0].n,
      rebuildTables: (
        await db.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '%\\_rebuild'`)
      ).rows[0].n,
    }));
    expect(left).toEqual({ items: 0, rebuildTables: 0 });
  });
});
