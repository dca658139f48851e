import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type AuthContext, machineUserActor, WorkspacesRepository } from '@app/auth';
import { newId } from '@app/contracts';
import { GatewayEnv, loadConfig } from '@app/config';
import { testWorkspaceId } from '@test/support/workspaces';
import { eventually } from '@test/support/eventually';
import { OutboxRepository } from './outbox/outbox.repository';
import { CUSTOMER_CACHE_CHANNEL, cacheKey, CustomerLookup } from './customer-lookup.service';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { openTestDataSource } from '@test/support/test-database';

describe(`${CustomerLookup.name} against PostgreSQL`, () => {
  const config = loadConfig(GatewayEnv);
  let dataSource: DataSource;
  let repository: CustomersRepository;
  let queries: jest.SpyInstance;
  let sut: CustomerLookup;
  let auth: AuthContext;
  let externalIds: string[];
  let customerIds: string[];
  let customers: CustomersService;

  beforeAll(async () => {
    dataSource = await openTestDataSource('lookup-spec', 4);
    const { workspace } = await new WorkspacesRepository(dataSource).findOrCreate(
      `ws-${randomBytes(4).toString('hex')}`,
    );
    const machineUserId = newId('mu');
    auth = { workspaceId: workspace.id, machineUserId, actor: machineUserActor(machineUserId) };
  });

  beforeEach(async () => {
    repository = new CustomersRepository();
    // A spy that keeps the real query: it only counts the round trips to PostgreSQL.
    queries = jest.spyOn(repository, 'findIdsByExternalIds');
    sut = new CustomerLookup(dataSource, repository, config);
    sut.onApplicationBootstrap();
    customers = new CustomersService(dataSource, new CustomersRepository(), new OutboxRepository(), sut);
    externalIds = Array.from({ length: 3 }, () => `user_${randomBytes(5).toString('hex')}`);
    customerIds = [];
    for (const externalId of externalIds) {
      const put = await customers.put(auth, externalId, {
        email: `${externalId}@example.com`,
        fullName: 'P',
      });
      customerIds.push(put.customer.id);
    }
  });

  afterEach(() => sut.onApplicationShutdown());

  afterAll(() => dataSource.destroy());

  /** Once the replica hears its own heartbeat, cached answers are served without a query. */
  const untilCacheTrusted = () =>
    eventually(async () => {
      await sut.customerIdsOf(auth.workspaceId, externalIds);
      const before = queries.mock.calls.length;
      await sut.customerIdsOf(auth.workspaceId, externalIds);
      expect(queries.mock.calls.length).toBe(before);
    }, 5000);

  it('resolves every externalId of a request with one query for all the cache misses', async () => {
    await untilCacheTrusted();
    queries.mockClear();
    const unknown = `user_${randomBytes(5).toString('hex')}`;

    const found = await sut.customerIdsOf(auth.workspaceId, [
      ...externalIds,
      unknown,
      externalIds[0],
      'user_nope',
    ]);

    expect(found).toEqual(new Map(externalIds.map((id, i) => [id, customerIds[i]])));
    expect(queries).toHaveBeenCalledTimes(1);
    expect(queries.mock.calls[0][2]).toEqual([unknown, 'user_nope']);
  });

  it('asks once for the misses of concurrent requests, and answers each request its own customers', async () => {
    const unknown = `user_${randomBytes(5).toString('hex')}`;
    queries.mockClear();

    const [first, second] = await Promise.all([
      sut.customerIdsOf(auth.workspaceId, [externalIds[0], unknown]),
      sut.customerIdsOf(auth.workspaceId, [externalIds[1], externalIds[0]]),
    ]);

    expect(first).toEqual(new Map([[externalIds[0], customerIds[0]]]));
    expect(second).toEqual(
      new Map([
        [externalIds[1], customerIds[1]],
        [externalIds[0], customerIds[0]],
      ]),
    );
    expect(queries).toHaveBeenCalledTimes(1);
    expect(queries.mock.calls[0][2]).toEqual([externalIds[0], unknown, externalIds[1]]);
  });

  it('keeps workspaces apart: the same externalId in another workspace is not found', async () => {
    const found = await sut.customerIdsOf(testWorkspaceId(), externalIds);

    expect(found.size).toBe(0);
  });

  it('asks the database again for a customer whose deletion was notified', async () => {
    await untilCacheTrusted();
    queries.mockClear();

    await dataSource.query('SELECT pg_notify($1, $2)', [
      CUSTOMER_CACHE_CHANNEL,
      cacheKey(auth.workspaceId, externalIds[1]),
    ]);

    await eventually(async () => {
      queries.mockClear();
      await sut.customerIdsOf(auth.workspaceId, externalIds);
      expect(queries).toHaveBeenCalledTimes(1);
      expect(queries.mock.calls[0][2]).toEqual([externalIds[1]]);
    });
  });

  it('forgets at once a customer deleted through this replica, before its NOTIFY comes back', async () => {
    await untilCacheTrusted();
    queries.mockClear();

    await customers.delete(auth, externalIds[0]);
    const found = await sut.customerIdsOf(auth.workspaceId, externalIds);

    expect(found.has(externalIds[0])).toBe(false);
    expect(queries.mock.calls.map((c) => c[2])).toEqual([[externalIds[0]]]);
  });

  it('stops trusting its cache when its LISTEN connection is lost, and trusts it again once it hears itself', async () => {
    await untilCacheTrusted();

    await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'gateway-customer-cache' AND datname = current_database()`,
    );
    await eventually(async () => {
      queries.mockClear();
      await sut.customerIdsOf(auth.workspaceId, externalIds);
      expect(queries).toHaveBeenCalledTimes(1);
    });

    await untilCacheTrusted();
  });
});
