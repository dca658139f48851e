import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { GatewayEnv } from '@app/config';
import { testEvent } from '@test/support/customer-events';
import { testWorkspaceId } from '@test/support/workspaces';
import { eventually } from '@test/support/eventually';
import { openTestDataSource } from '@test/support/test-database';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';

const HOUR = 3_600_000;

describe(`${IdempotencyService.name} waiting on another request's key`, () => {
  let dataSource: DataSource;
  let repository: IdempotencyRepository;
  let sut: IdempotencyService;
  const workspaceId = testWorkspaceId();

  beforeAll(async () => {
    dataSource = await openTestDataSource('idempotency-service-spec', 4);
    repository = new IdempotencyRepository(dataSource);
    const config = {
      DATABASE_URL: process.env.DATABASE_URL!,
      IDEMPOTENCY_WAIT_MS: HOUR,
      KAFKA_PUBLISH_TIMEOUT_MS: 5000,
    } as GatewayEnv;
    sut = new IdempotencyService(repository, config);
    // Only a notification can wake a waiter within the test's lifetime: no re-check for an hour.
    sut.recheckMs = HOUR;
    sut.onApplicationBootstrap();
    await eventually(() => expect(sut['settledSignal'].listening).toBe(true));
  });

  afterAll(async () => {
    await sut.onApplicationShutdown();
    await dataSource.destroy();
  });

  afterEach(() => jest.restoreAllMocks());

  const claimKey = async () => {
    const key = `key-${randomBytes(6).toString('hex')}`;
    const message = testEvent(workspaceId);
    const handle = (await sut.claim(workspaceId, [{ key, requestHash: 'hash-a', message }])).get(key)!;
    return { key, handle, message };
  };

  it('is woken by the completion of the key (NOTIFY), not by a re-check', async () => {
    const { key, handle, message } = await claimKey();
    const finds = jest.spyOn(repository, 'find');
    const waiting = sut.waitForOthers(workspaceId, [{ key, hash: 'hash-a' }], Date.now() + HOUR);
    await eventually(() => expect(finds).toHaveBeenCalledTimes(1)); // looked once, found it in flight
    await sut.complete(workspaceId, [handle]);
    const [result] = await waiting;
    expect(result.state).toEqual({ kind: 'completed', message });
    expect(finds).toHaveBeenCalledTimes(2); // once before, once on the notification
  });

  it('is woken by the release of the key after a failed publish, and may take it over', async () => {
    const { key, handle } = await claimKey();
    const finds = jest.spyOn(repository, 'find');
    const waiting = sut.waitForOthers(workspaceId, [{ key, hash: 'hash-a' }], Date.now() + HOUR);
    await eventually(() => expect(finds).toHaveBeenCalledTimes(1));
    await sut.release(workspaceId, [handle]);
    const [result] = await waiting;
    expect(result.state.kind).toBe('abandoned');
    expect(finds).toHaveBeenCalledTimes(2);
  });
});
