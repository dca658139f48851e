import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { testEvent } from '@test/support/customer-events';
import { testWorkspaceId } from '@test/support/workspaces';
import { openTestDataSource } from '@test/support/test-database';
import type { IdempotencyClaim } from './idempotency-record';
import { IdempotencyRepository } from './idempotency.repository';

const ABANDON_AFTER_MS = 30_000;

describe(`${IdempotencyRepository.name} against PostgreSQL`, () => {
  let dataSource: DataSource;
  let sut: IdempotencyRepository;
  const workspaceId = testWorkspaceId();

  beforeAll(async () => {
    dataSource = await openTestDataSource('idempotency-spec', 10);
    sut = new IdempotencyRepository(dataSource);
  });

  afterAll(() => dataSource.destroy());

  const newKey = () => `key-${randomBytes(6).toString('hex')}`;
  const claimOf = (key: string, requestHash = 'hash-a'): IdempotencyClaim => {
    return { key, requestHash, message: testEvent(workspaceId) };
  };
  const setRow = (key: string, assignments: string) =>
    dataSource.query(`UPDATE idempotency_keys SET ${assignments} WHERE workspace_id = $1 AND key = $2`, [
      workspaceId,
      key,
    ]);
  const findOne = async (key: string) => (await sut.find(workspaceId, [key], ABANDON_AFTER_MS))[0];

  it('lets exactly one of twenty concurrent claims of a key win', async () => {
    const key = newKey();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => sut.claim(workspaceId, [claimOf(key)])),
    );

    expect(results.flat()).toEqual([{ key, attempt: 1 }]);
  });

  it('claims many keys in one statement and reports only those it won', async () => {
    const [taken, free] = [newKey(), newKey()];
    await sut.claim(workspaceId, [claimOf(taken)]);

    const won = await sut.claim(workspaceId, [claimOf(taken), claimOf(free)]);

    expect(won).toEqual([{ key: free, attempt: 1 }]);
  });

  it('keeps keys of one workspace apart from the same keys of another', async () => {
    const key = newKey();
    await sut.claim(workspaceId, [claimOf(key)]);

    expect(await sut.claim(testWorkspaceId(), [claimOf(key)])).toEqual([{ key, attempt: 1 }]);
  });

  it('does not make a claim of one key wait for a transaction holding another key', async () => {
    const within = <T>(work: Promise<T>, ms: number) =>
      Promise.race([work, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);
    const [held, other] = [newKey(), newKey()];
    await sut.claim(workspaceId, [claimOf(held)]);
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    let blocked: Promise<unknown> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM idempotency_keys WHERE workspace_id = $1 AND key = $2 FOR UPDATE', [
        workspaceId,
        held,
      ]);

      blocked = sut.claim(workspaceId, [claimOf(held)]);
      const unrelated = await within(sut.claim(workspaceId, [claimOf(other)]), 5000);

      expect(unrelated).toEqual([{ key: other, attempt: 1 }]);
      // The control: a claim of the held key itself does wait for the holder.
      expect(await within(blocked, 300)).toBe('still waiting');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await blocked).toEqual([]);
  });

  it('stores the event at claim time and reports a claim abandoned only once it is old', async () => {
    const key = newKey();
    const claim = claimOf(key);
    await sut.claim(workspaceId, [claim]);

    const fresh = await findOne(key);
    await setRow(key, `claimed_at = now() - interval '1 minute'`);
    const old = await findOne(key);

    expect(fresh).toEqual({
      key,
      requestHash: 'hash-a',
      message: claim.message,
      status: 'in_flight',
      attempt: 1,
      abandoned: false,
    });
    expect(old.abandoned).toBe(true);
  });

  it('lets one taker take over an abandoned claim; the stale owner can then neither complete nor release it', async () => {
    const key = newKey();
    const [original] = await sut.claim(workspaceId, [claimOf(key)]);
    await setRow(key, `claimed_at = now() - interval '1 minute'`);
    const abandoned = await findOne(key);

    const takers = await Promise.all([
      sut.takeOver(workspaceId, abandoned, ABANDON_AFTER_MS),
      sut.takeOver(workspaceId, abandoned, ABANDON_AFTER_MS),
    ]);
    await sut.complete(workspaceId, [original]);
    await sut.release(workspaceId, [original]);

    expect(takers.filter(Boolean)).toEqual([{ key, attempt: 2 }]);
    expect(await findOne(key)).toMatchObject({ status: 'in_flight', attempt: 2, abandoned: false });
  });

  it('refuses to take over a claim that is not abandoned', async () => {
    const key = newKey();
    await sut.claim(workspaceId, [claimOf(key)]);

    expect(await sut.takeOver(workspaceId, await findOne(key), ABANDON_AFTER_MS)).toBeUndefined();
  });

  it('completes an owned claim, and has a released claim taken over at once with its stored event', async () => {
    const [done, released] = [newKey(), newKey()];
    const claims = [claimOf(done), claimOf(released)];
    const handles = await sut.claim(workspaceId, claims);

    await sut.complete(workspaceId, [handles[0]]);
    await sut.release(workspaceId, [handles[1]]);
    const free = await findOne(released);

    expect((await findOne(done)).status).toBe('completed');
    expect(free).toMatchObject({ status: 'in_flight', abandoned: true, message: claims[1].message });
    expect(await sut.claim(workspaceId, [claimOf(released)])).toEqual([]);
    expect(await sut.takeOver(workspaceId, free, ABANDON_AFTER_MS)).toEqual({ key: released, attempt: 2 });
  });

  it('forgets keys after 24 hours: invisible at once, reclaimable, and purged', async () => {
    const [expired, kept, reclaimed] = [newKey(), newKey(), newKey()];
    await sut.claim(workspaceId, [claimOf(expired), claimOf(kept), claimOf(reclaimed)]);
    for (const key of [expired, reclaimed]) await setRow(key, `created_at = now() - interval '25 hours'`);

    const seen = await sut.find(workspaceId, [expired, kept, reclaimed], ABANDON_AFTER_MS);
    const again = await sut.claim(workspaceId, [claimOf(reclaimed, 'hash-b')]);
    const purged = await sut.purgeExpiredAcrossWorkspaces();

    expect(seen.map((r) => r.key)).toEqual([kept]);
    expect(again).toEqual([{ key: reclaimed, attempt: 2 }]);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await sut.find(workspaceId, [expired, kept, reclaimed], ABANDON_AFTER_MS)).toHaveLength(2);
    expect((await findOne(reclaimed)).requestHash).toBe('hash-b');
  });
});
