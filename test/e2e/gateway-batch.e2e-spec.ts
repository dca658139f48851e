import { TOPICS } from '@app/contracts';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import {
  createCustomer,
  drain,
  expectError,
  postBatch,
  postEvent,
  SEED_EVENT,
  sql,
  TopicReader,
} from './gateway-helpers';

/** count and sum of the publisher's messages-per-produce-request histogram. */
async function produceRequests(baseUrl: string): Promise<{ count: number; sum: number }> {
  const metrics = (await request(baseUrl, 'GET', '/metrics')).body as string;
  const read = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0);
  return { count: read('kafka_produce_batch_messages_count'), sum: read('kafka_produce_batch_messages_sum') };
}

describe('gateway POST /api/v1/customer-events/batch', () => {
  let gateway: AppProcess;
  let topic: TopicReader;
  let apiKey: string;
  let externalId: string;

  beforeAll(async () => {
    [gateway, topic] = await Promise.all([
      AppProcess.start('gateway'),
      new TopicReader(TOPICS.customerEvents).start(),
    ]);
    ({ apiKey } = await createApiKey());
  });

  beforeEach(async () => {
    externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), topic?.stop()]);
  });

  const event = (extra: object = {}) => ({ ...SEED_EVENT, customerExternalId: externalId, ...extra });
  const batch = (events: unknown) => postBatch(gateway.url, apiKey, { events });

  it('accepts the valid items and refuses the others, each with the code the single endpoint gives', async () => {
    const response = await batch([
      event(),
      event({ type: 'Not A Type' }),
      event({ customerExternalId: 'user_nobody' }),
      event({ payload: { data: 'x'.repeat(33 * 1024) } }),
      event({ occured_at: '2026-04-18T10:00:00Z' }),
      'not an object',
      event({ type: 'order.shipped', occurredAt: '2026-04-19T08:30:00+02:00' }),
    ]);

    expect(response.status).toBe(200);
    const { data } = response.body;
    expect({ accepted: data.accepted, rejected: data.rejected }).toEqual({ accepted: 2, rejected: 5 });
    expect(data.results.map((r: any) => [r.index, r.success, r.error?.code ?? r.data.type])).toEqual([
      [0, true, 'order.placed'],
      [1, false, 'VALIDATION_ERROR'],
      [2, false, 'CUSTOMER_NOT_FOUND'],
      [3, false, 'PAYLOAD_TOO_LARGE'],
      [4, false, 'VALIDATION_ERROR'],
      [5, false, 'VALIDATION_ERROR'],
      [6, true, 'order.shipped'],
    ]);
    expect(data.results[4].error.details).toContainEqual({
      field: 'occured_at',
      message: 'unknown field "occured_at"',
    });
    expect(data.results[6].data.occurredAt).toBe('2026-04-19T06:30:00.000Z');
    for (const accepted of [data.results[0], data.results[6]]) {
      await eventually(() => expect(topic.where((v) => v.id === accepted.data.id)).toHaveLength(1));
    }
  });

  it("reports an item's error exactly as the single endpoint reports it", async () => {
    const bad = event({ type: 'Order Placed', occurredAt: '2026-02-30T00:00:00Z' });

    const single = await postEvent(gateway.url, apiKey, bad);
    const inBatch = await batch([bad]);

    expect(inBatch.body.data.results[0]).toEqual({ index: 0, success: false, error: single.body.error });
  });

  it("carries each item's title to its answer and its message, null when left out, and refuses a bad one by name", async () => {
    const response = await batch([
      event({ title: 'Order ord_9001 placed: 149.90 USD' }),
      event(),
      event({ title: 'x'.repeat(201) }),
      event({ title: 'line\nbreak' }),
    ]);

    const { results } = response.body.data;
    expect(results[0].data.title).toBe('Order ord_9001 placed: 149.90 USD');
    expect(results[1].data.title).toBeNull();
    for (const refused of [results[2], results[3]]) {
      expect(refused.error.code).toBe('VALIDATION_ERROR');
      expect(refused.error.details.map((d: { field: string }) => d.field)).toEqual(['title']);
    }
    const [record] = await eventually(() => {
      const found = topic.where((v) => v.id === results[0].data.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(record.value.title).toBe('Order ord_9001 placed: 149.90 USD');
  });

  it('accepts 1000 events and publishes them in one Kafka produce request', async () => {
    // Let the outbox relay publish the customer's creation first: then only the batch produces.
    await eventually(async () => {
      const [row] = await sql('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      expect(row.n).toBe(0);
    });
    const before = await produceRequests(gateway.url);

    const response = await batch(Array.from({ length: 1000 }, (_, i) => event({ payload: { i } })));

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ accepted: 1000, rejected: 0 });
    const after = await produceRequests(gateway.url);
    expect({ requests: after.count - before.count, messages: after.sum - before.sum }).toEqual({
      requests: 1,
      messages: 1000,
    });
  });

  it.each([
    ['events is missing', {}],
    ['events is not an array', { events: event() }],
    ['events is empty', { events: [] }],
    ['events has more than 1000 items', { events: Array.from({ length: 1001 }, () => event()) }],
    ['a top-level field is unknown', { events: [event()], dryRun: true }],
    ['the body is an array', [event()]],
  ])('refuses the whole batch with 400 when %s', async (_, body) => {
    const response = await postBatch(gateway.url, apiKey, body);

    expectError(response, 400, 'VALIDATION_ERROR');
  });

  it('refuses a batch without a valid X-API-Key with 401', async () => {
    expectError(await postBatch(gateway.url, 'nope', { events: [event()] }), 401, 'UNAUTHORIZED');
  });

  describe('idempotencyKey per item', () => {
    it('answers a resent batch with the same ids and publishes nothing again', async () => {
      const keys = [`a-${externalId}`, `b-${externalId}`];
      const events = [
        event({ idempotencyKey: keys[0] }),
        event({ type: 'order.paid', idempotencyKey: keys[1] }),
      ];

      const first = await batch(events);
      const resent = await batch(events);

      expect(resent.body.data).toEqual(first.body.data);
      await drain(gateway.url, apiKey, externalId, topic);
      for (const result of first.body.data.results) {
        expect(topic.where((v) => v.id === result.data.id)).toHaveLength(1);
      }
    });

    it('refuses an item whose key was used with a different body, and accepts the rest', async () => {
      const key = `k-${externalId}`;
      await batch([event({ idempotencyKey: key })]);

      const response = await batch([event({ type: 'order.cancelled', idempotencyKey: key }), event()]);

      expect(response.body.data.results.map((r: any) => r.error?.code ?? 'accepted')).toEqual([
        'IDEMPOTENCY_KEY_REUSED',
        'accepted',
      ]);
    });

    it('gives items sharing a key within one batch one event, or 422 when their bodies differ', async () => {
      const key = `dup-${externalId}`;

      const response = await batch([
        event({ idempotencyKey: key }),
        event({ idempotencyKey: key }),
        event({ type: 'order.cancelled', idempotencyKey: key }),
      ]);

      const [first, second, third] = response.body.data.results;
      expect(second.data).toEqual(first.data);
      expect(third.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await drain(gateway.url, apiKey, externalId, topic);
      expect(topic.where((v) => v.id === first.data.id)).toHaveLength(1);
    });

    it('shares keys with the Idempotency-Key header of the single endpoint', async () => {
      const key = `shared-${externalId}`;
      const single = await postEvent(gateway.url, apiKey, event(), { 'Idempotency-Key': key });

      const response = await batch([event({ idempotencyKey: key })]);

      expect(response.body.data.results[0]).toEqual({ index: 0, success: true, data: single.body.data });
    });

    it('refuses an idempotencyKey over 255 characters as a VALIDATION_ERROR of that item', async () => {
      const response = await batch([event({ idempotencyKey: 'k'.repeat(256) })]);

      expect(response.body.data.results[0].error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [expect.objectContaining({ field: 'idempotencyKey' })],
      });
    });
  });
});
