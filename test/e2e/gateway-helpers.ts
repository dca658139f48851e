import { randomBytes } from 'node:crypto';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { prefixedTopic, type TopicName } from '@app/contracts';
import { request } from '@test/support/api-client';
import { eventually } from '@test/support/eventually';

/** Helpers shared by the gateway e2e specs. */

export const SEED_EVENT = {
  customerExternalId: 'user_42',
  type: 'order.placed',
  payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
};

export interface TopicRecord<T = any> {
  key: string | null;
  value: T;
  headers: Record<string, string>;
}

function parseObject(raw: Buffer | null): object | undefined {
  try {
    const value: unknown = JSON.parse(raw?.toString() ?? '');
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one of the run's topics from the beginning, in a group of its own, and keeps every record. */
export class TopicReader<T = any> {
  readonly records: TopicRecord<T>[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly topic: TopicName,
    private readonly brokers = process.env.KAFKA_BROKERS!,
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'gateway-e2e',
      brokers: this.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `gateway-e2e-${randomBytes(5).toString('hex')}` });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: prefixedTopic(process.env.KAFKA_TOPIC_PREFIX!, this.topic),
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        // Other suites of the run put poison messages on the same topics: keep only what parses as an object.
        const value = parseObject(message.value);
        if (value !== undefined)
          this.records.push({ key: message.key?.toString() ?? null, value: value as T, headers });
        return Promise.resolve();
      },
    });
    return this;
  }

  where(predicate: (value: T) => boolean): TopicRecord<T>[] {
    return this.records.filter((r) => predicate(r.value));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** One SQL statement against the run's database (to look at, or to simulate another replica's state). */
export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function createCustomer(baseUrl: string, apiKey: string, externalId: string) {
  const response = await request(baseUrl, 'PUT', `/api/v1/customers/${encodeURIComponent(externalId)}`, {
    apiKey,
    body: { email: `${externalId}@example.com`, fullName: 'Peter Santos', shortName: 'Peter' },
  });
  if (response.status !== 201) throw new Error(`PUT customer answered ${response.status}`);
  return response.body.data as { id: string; externalId: string };
}

export function postEvent(
  baseUrl: string,
  apiKey: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return request(baseUrl, 'POST', '/api/v1/customer-events', { apiKey, body, headers });
}

export function postBatch(baseUrl: string, apiKey: string, body: unknown) {
  return request(baseUrl, 'POST', '/api/v1/customer-events/batch', { apiKey, body });
}

/** The error envelope every refusal must use. */
export function expectError(
  response: { status: number; body: any },
  status: number,
  code: string,
  field?: string,
): void {
  expect({
    status: response.status,
    success: response.body?.success,
    code: response.body?.error?.code,
  }).toEqual({
    status,
    success: false,
    code,
  });
  expect(typeof response.body.error.message).toBe('string');
  expect(Array.isArray(response.body.error.details)).toBe(true);
  expect(response.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  if (field) expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

/**
 * Posts one more event for the customer and waits until the topic shows it. Events of one customer share a
 * partition and keep their order, so every earlier publish for that customer has been read by then: counting
 * them afterwards proves how many there were, not just that one arrived.
 */
export async function drain(
  baseUrl: string,
  apiKey: string,
  externalId: string,
  topic: TopicReader,
): Promise<void> {
  const sentinel = await postEvent(baseUrl, apiKey, {
    customerExternalId: externalId,
    type: 'test.sentinel',
  });
  if (sentinel.status !== 201) throw new Error(`sentinel answered ${sentinel.status}`);
  await eventually(() => expect(topic.where((v) => v.id === sentinel.body.data.id)).toHaveLength(1));
}
