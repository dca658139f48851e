import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { AppProcess } from '@test/support/app-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import {
  type Customer,
  type CustomerChangeMessage,
  type CustomerEventMessage,
  dlqTopicOf,
  newId,
  prefixedTopic,
  TOPICS,
} from '@app/contracts';
import { createCustomer } from './gateway-helpers';

/** Messages written straight to the run's topics, in the contract's shapes, for projector tests. */

export const eventsTopic = () => prefixedTopic(process.env.KAFKA_TOPIC_PREFIX!, TOPICS.customerEvents);
export const changesTopic = () => prefixedTopic(process.env.KAFKA_TOPIC_PREFIX!, TOPICS.customerChanges);
export const eventsDlq = () => dlqTopicOf(eventsTopic());
export const projectorGroup = () => `projector-${process.env.TEST_RUN_ID}`;

export function kafkaClient(clientId = 'projector-spec'): Kafka {
  return new Kafka({ clientId, brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
}

export function customerRecord(customerId: string, externalId: string, fullName = 'Peter Santos'): Customer {
  const actor = { actorType: 'machineUser' as const, machineUserId: newId('mu') };
  const at = new Date().toISOString();
  return {
    id: customerId,
    externalId,
    email: { email: `${externalId}@example.com`, isVerified: false, verifiedAt: null },
    fullName,
    shortName: null,
    markedAsSpamAt: null,
    markedAsSpamBy: null,
    customerGroupMemberships: [],
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
  };
}

/** One customer of one workspace, and the messages the gateway would publish about it. */
export class CustomerScript {
  private version = 0;
  private current: Customer | null = null;

  constructor(
    readonly workspaceId: string,
    readonly externalId = `user_${randomBytes(5).toString('hex')}`,
    readonly customerId = newId('c'),
  ) {}

  created(): CustomerChangeMessage {
    return this.change('customer.customer_created', customerRecord(this.customerId, this.externalId));
  }

  renamed(fullName: string): CustomerChangeMessage {
    return this.change('customer.customer_updated', { ...this.current!, fullName });
  }

  updated(patch: Partial<Customer>): CustomerChangeMessage {
    return this.change('customer.customer_updated', { ...this.current!, ...patch });
  }

  deleted(): CustomerChangeMessage {
    return this.change('customer.customer_deleted', null);
  }

  event(type = 'order.placed', overrides: Partial<CustomerEventMessage> = {}): CustomerEventMessage {
    const now = new Date().toISOString();
    return {
      id: newId('cev'),
      workspaceId: this.workspaceId,
      customerId: this.customerId,
      customerExternalId: this.externalId,
      type,
      title: null,
      payload: { orderId: `ord_${randomBytes(3).toString('hex')}` },
      occurredAt: now,
      createdAt: now,
      ...overrides,
    };
  }

  private change(type: CustomerChangeMessage['type'], customer: Customer | null): CustomerChangeMessage {
    const message: CustomerChangeMessage = {
      id: newId('pEv'),
      type,
      workspaceId: this.workspaceId,
      customerId: this.customerId,
      version: ++this.version,
      customer,
      previousCustomer: this.current,
      actor: { actorType: 'machineUser', machineUserId: newId('mu') },
      occurredAt: new Date().toISOString(),
    };
    this.current = customer;
    return message;
  }
}

export interface Position {
  partition: number;
  offset: bigint;
}

/** A producer with acks=all: a resolved send is a message the projector must project. */
export class TopicWriter {
  private readonly producer: Producer;

  constructor(kafka = kafkaClient()) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  events(...messages: CustomerEventMessage[]): Promise<Position[]> {
    return this.raw(
      eventsTopic(),
      messages.map((m) => ({ key: m.customerId, value: JSON.stringify(m) })),
    );
  }

  changes(...messages: CustomerChangeMessage[]): Promise<Position[]> {
    return this.raw(
      changesTopic(),
      messages.map((m) => ({ key: m.customerId, value: JSON.stringify(m) })),
    );
  }

  /** Resolves once acknowledged; the positions are known when every message has the same key. */
  async raw(topic: string, messages: Array<{ key: string; value: Buffer | string }>): Promise<Position[]> {
    const [first, ...others] = await this.producer.send({ topic, acks: -1, messages });
    if (others.length > 0 || new Set(messages.map((m) => m.key)).size !== 1) return [];
    return messages.map((_, i) => ({
      partition: first.partition,
      offset: BigInt(first.baseOffset!) + BigInt(i),
    }));
  }
}

/** Reads a whole topic from the beginning with a throwaway group. */
export async function readTopic(
  topic: string,
  until: (messages: KafkaMessage[]) => boolean,
  timeoutMs = 30000,
) {
  const consumer = kafkaClient().consumer({ groupId: `reader-${randomBytes(6).toString('hex')}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: only ${messages.length} messages`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: ({ message }) => {
          messages.push(message);
          if (until(messages)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The run's own database (`sd_<run>_test`), for looking at read models directly. */
export async function withDatabase<T>(
  work: (db: Client) => Promise<T>,
  url = process.env.DATABASE_URL!,
): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function timelineIdCounts(customerId: string): Promise<Map<string, number>> {
  const rows = await withDatabase(
    async (db) =>
      (
        await db.query(
          'SELECT id, count(*)::int AS n FROM timeline_items WHERE customer_id = $1 GROUP BY id',
          [customerId],
        )
      ).rows,
  );
  return new Map(rows.map((r: { id: string; n: number }) => [r.id, r.n]));
}

export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(entry.partitions.map((p) => [p.partition, BigInt(p.offset)]));
}

/** Every timeline item id through the API, page after page; throws when a page fails. */
export async function pageThrough(
  get: (cursor?: string) => Promise<{ status: number; body: any }>,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await get(cursor);
    if (page.status !== 200) throw new Error(`page answered ${page.status}: ${JSON.stringify(page.body)}`);
    ids.push(...page.body.data.items.map((i: { id: string }) => i.id));
    if (!page.body.data.hasMore) return ids;
    cursor = page.body.data.nextCursor;
  }
}

/** A projector process with a small pool: the PostgreSQL server is shared by every test run on the machine. */
export function startProjector(env: Record<string, string> = {}): Promise<AppProcess> {
  return AppProcess.start('projector', { DATABASE_POOL_SIZE: '4', ...env });
}

/** A projector and a fresh workspace's API key, started together with the connections a spec opens (`also`). */
export async function projectorWithKey(
  ...also: Array<Promise<unknown>>
): Promise<{ projector: AppProcess; apiKey: string; workspaceId: string }> {
  const [projector, key] = await Promise.all([startProjector(), createApiKey(), Promise.all(also)]);
  return { projector, ...key };
}

/** A gateway and a projector, and one customer of a fresh workspace: for specs that post events and read them back. */
export async function gatewayAndProjectorWithCustomer(): Promise<{
  gateway: AppProcess;
  projector: AppProcess;
  apiKey: string;
  externalId: string;
}> {
  const [gateway, projector] = await Promise.all([AppProcess.start('gateway'), startProjector()]);
  const { apiKey } = await createApiKey();
  const { externalId } = await createCustomer(gateway.url, apiKey, uniqueExternalId());
  return { gateway, projector, apiKey, externalId };
}
