import { randomBytes } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { type AuthContext, machineUserActor, WorkspacesRepository } from '@app/auth';
import { type CustomerChangeMessage, newId, prefixedTopic, TOPICS } from '@app/contracts';
import { GatewayEnv, loadConfig } from '@app/config';
import { assertTestDatabase, openDataSource } from '@app/database';
import { createKafkaClient, KafkaPublisher, TopicResolver } from '@app/kafka';
import { eventually } from '@test/support/eventually';
import { CustomerLookup } from '../customer-lookup.service';
import { CustomersRepository } from '../customers.repository';
import { CustomersService } from '../customers.service';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

describe(`${OutboxRelay.name} against PostgreSQL and Kafka`, () => {
  const config = loadConfig(GatewayEnv);
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: 'relay-spec',
    topicPrefix: '',
  });
  const topics = new TopicResolver({
    brokers: [],
    clientId: 'relay-spec',
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
  });
  let dataSource: DataSource;
  let customers: CustomersService;
  let auth: AuthContext;
  let publisher: KafkaPublisher;
  let consumer: Consumer;
  const received: KafkaMessage[] = [];

  beforeAll(async () => {
    assertTestDatabase(config.DATABASE_URL);
    dataSource = await openDataSource({
      url: config.DATABASE_URL,
      poolSize: 4,
      applicationName: 'relay-spec',
    });
    const { workspace } = await new WorkspacesRepository(dataSource).findOrCreate(
      `ws-${randomBytes(4).toString('hex')}`,
    );
    const machineUserId = newId('mu');
    auth = { workspaceId: workspace.id, machineUserId, actor: machineUserActor(machineUserId) };
    const repository = new CustomersRepository();
    const lookup = new CustomerLookup(dataSource, repository, config);
    customers = new CustomersService(dataSource, repository, new OutboxRepository(), lookup);
    publisher = new KafkaPublisher(kafka, { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 });
    consumer = kafka.consumer({ groupId: `relay-spec-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({
      topic: prefixedTopic(config.KAFKA_TOPIC_PREFIX, TOPICS.customerChanges),
      fromBeginning: true,
    });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
  });

  afterAll(async () => {
    await consumer.disconnect();
    await publisher.onApplicationShutdown();
    await dataSource.destroy();
  });

  const startRelay = () => {
    const relay = new OutboxRelay(config, new OutboxRepository(), publisher, topics);
    relay.onApplicationBootstrap();
    return relay;
  };
  const receivedFor = (customerIds: string[]) =>
    received
      .map((m) => ({
        key: m.key!.toString(),
        eventId: m.headers!['event-id']!.toString(),
        value: m.value!.toString(),
      }))
      .filter((m) => customerIds.includes(m.key))
      .map((m) => ({ ...m, message: JSON.parse(m.value) as CustomerChangeMessage }));
  const unpublished = async (customerIds: string[]): Promise<number> => {
    const [row]: Array<{ n: number }> = await dataSource.query(
      'SELECT count(*)::int AS n FROM outbox WHERE message_key = ANY($1) AND published_at IS NULL',
      [customerIds],
    );
    return row.n;
  };

  /** Changes committed while no relay runs: what a crash between commit and publish leaves behind. */
  async function commitChangesWithoutRelay(): Promise<string[]> {
    const ids: string[] = [];
    for (let c = 0; c < 3; c++) {
      const externalId = `user_${randomBytes(5).toString('hex')}`;
      const { customer } = await customers.put(auth, externalId, {
        email: `${externalId}@example.com`,
        fullName: 'A',
      });
      for (let i = 0; i < 4; i++) await customers.patch(auth, externalId, { fullName: `Name ${i}` });
      await customers.markAsSpam(auth, externalId);
      ids.push(customer.id);
    }
    return ids;
  }

  it('publishes, once it starts, every change committed while no relay ran, in order per customer', async () => {
    const customerIds = await commitChangesWithoutRelay();
    expect(await unpublished(customerIds)).toBe(18);

    const relay = startRelay();
    try {
      await eventually(async () => expect(await unpublished(customerIds)).toBe(0), 20_000);
    } finally {
      await relay.onApplicationShutdown();
    }

    await eventually(() => expect(receivedFor(customerIds)).toHaveLength(18));
    for (const customerId of customerIds) {
      const mine = receivedFor([customerId]);
      expect(mine.map((m) => m.message.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(mine.every((m) => m.eventId === m.message.id)).toBe(true);
    }
  });

  it('republishes the very same events after a crash between publish and mark, so consumers can dedupe', async () => {
    const customerIds = await commitChangesWithoutRelay();
    const first = startRelay();
    try {
      await eventually(async () => expect(await unpublished(customerIds)).toBe(0), 20_000);
    } finally {
      await first.onApplicationShutdown();
    }
    await eventually(() => expect(receivedFor(customerIds)).toHaveLength(18));
    // As if the relay died after the broker's acknowledgement but before marking the rows published.
    await dataSource.query('UPDATE outbox SET published_at = NULL WHERE message_key = ANY($1)', [
      customerIds,
    ]);

    const second = startRelay();
    try {
      await eventually(async () => expect(await unpublished(customerIds)).toBe(0), 20_000);
    } finally {
      await second.onApplicationShutdown();
    }

    await eventually(() => expect(receivedFor(customerIds)).toHaveLength(36));
    const byId = new Map<string, string[]>();
    for (const m of receivedFor(customerIds)) byId.set(m.eventId, [...(byId.get(m.eventId) ?? []), m.value]);
    expect(byId.size).toBe(18);
    for (const copies of byId.values()) {
      expect(copies).toHaveLength(2);
      expect(copies[1]).toBe(copies[0]);
    }
  });
});
