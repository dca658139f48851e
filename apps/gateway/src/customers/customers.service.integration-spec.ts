import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type AuthContext, machineUserActor, WorkspacesRepository } from '@app/auth';
import { type CustomerChangeMessage, newId } from '@app/contracts';
import { GatewayEnv, loadConfig } from '@app/config';
import { OutboxRepository } from './outbox/outbox.repository';
import { CustomerLookup } from './customer-lookup.service';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { openTestDataSource } from '@test/support/test-database';

describe(`${CustomersService.name} against PostgreSQL`, () => {
  let dataSource: DataSource;
  let sut: CustomersService;
  let auth: AuthContext;

  beforeAll(async () => {
    dataSource = await openTestDataSource('customers-service-spec', 10);
    const { workspace } = await new WorkspacesRepository(dataSource).findOrCreate(
      `ws-${randomBytes(4).toString('hex')}`,
    );
    const machineUserId = newId('mu');
    auth = { workspaceId: workspace.id, machineUserId, actor: machineUserActor(machineUserId) };
    const repository = new CustomersRepository();
    const lookup = new CustomerLookup(dataSource, repository, loadConfig(GatewayEnv));
    sut = new CustomersService(dataSource, repository, new OutboxRepository(), lookup);
  });

  afterAll(() => dataSource.destroy());

  const externalId = () => `user_${randomBytes(5).toString('hex')}`;
  const changesOf = async (customerId: string): Promise<CustomerChangeMessage[]> => {
    const rows: Array<{ payload: CustomerChangeMessage }> = await dataSource.query(
      'SELECT payload FROM outbox WHERE message_key = $1 ORDER BY seq',
      [customerId],
    );
    return rows.map((r) => r.payload);
  };

  it('serialises 50 concurrent PATCHes: versions 2..51, each previousCustomer the state it was applied to', async () => {
    const id = externalId();
    const { customer } = await sut.put(auth, id, { email: `${id}@example.com`, fullName: 'Name 0' });

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sut.patch(auth, id, { fullName: `Name ${i + 1}` })),
    );

    expect(results).toHaveLength(50);
    const changes = await changesOf(customer.id);
    expect(changes.map((c) => c.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(changes[0]).toMatchObject({ type: 'customer.customer_created', previousCustomer: null, customer });
    for (let i = 1; i < changes.length; i++) {
      expect(changes[i].type).toBe('customer.customer_updated');
      expect(changes[i].previousCustomer).toEqual(changes[i - 1].customer);
    }
    const names = changes.slice(1).map((c) => c.customer!.fullName);
    expect(new Set(names).size).toBe(50);
    expect(await sut.get(auth, id)).toEqual(changes[50].customer);
  });

  it('serialises concurrent changes of different kinds into one unbroken chain', async () => {
    const id = externalId();
    const { customer } = await sut.put(auth, id, { email: `${id}@example.com`, fullName: 'Peter' });

    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => sut.patch(auth, id, { shortName: `P${i}` })),
      sut.markAsSpam(auth, id),
      sut.put(auth, id, { email: `${id}@example.org`, fullName: 'Peter Santos' }),
    ]);

    const changes = await changesOf(customer.id);
    expect(changes.map((c) => c.version)).toEqual(changes.map((_, i) => i + 1));
    for (let i = 1; i < changes.length; i++)
      expect(changes[i].previousCustomer).toEqual(changes[i - 1].customer);
  });

  it('creates once when two PUTs race for a new externalId: the loser becomes an update', async () => {
    const id = externalId();

    const [a, b] = await Promise.all([
      sut.put(auth, id, { email: `${id}@example.com`, fullName: 'First' }),
      sut.put(auth, id, { email: `${id}@example.com`, fullName: 'Second' }),
    ]);

    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.customer.id).toBe(b.customer.id);
    const changes = await changesOf(a.customer.id);
    expect(changes.map((c) => [c.version, c.type])).toEqual([
      [1, 'customer.customer_created'],
      [2, 'customer.customer_updated'],
    ]);
  });

  it('writes no change event for a change that changes nothing', async () => {
    const id = externalId();
    const { customer } = await sut.put(auth, id, { email: `${id}@example.com`, fullName: 'Peter' });

    await sut.put(auth, id, { email: `${id}@example.com`, fullName: 'Peter' });
    await sut.patch(auth, id, { fullName: 'Peter' });
    await sut.unmarkAsSpam(auth, id);

    expect((await changesOf(customer.id)).map((c) => c.version)).toEqual([1]);
  });
});
