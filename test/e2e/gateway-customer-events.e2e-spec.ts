import { TOPICS } from '@app/contracts';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { metricSum } from '@test/support/metrics-scrape';
import {
  createCustomer,
  expectError,
  postBatch,
  postEvent,
  SEED_EVENT,
  sql,
  TopicReader,
} from './gateway-helpers';

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('gateway POST /api/v1/customer-events', () => {
  let gateway: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  let customer: { id: string; externalId: string };
  let topic: TopicReader;

  beforeAll(async () => {
    [gateway, topic] = await Promise.all([
      AppProcess.start('gateway'),
      new TopicReader(TOPICS.customerEvents).start(),
    ]);
    ({ apiKey, workspaceId } = await createApiKey());
    customer = await createCustomer(gateway.url, apiKey, 'user_42');
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), topic?.stop()]);
  });

  const post = (body: unknown, headers?: Record<string, string>) =>
    postEvent(gateway.url, apiKey, body, headers);

  describe('accepting events', () => {
    it("answers the seed's example with 201 and publishes it to customer-events.v1, keyed by customerId", async () => {
      const response = await post(SEED_EVENT);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        success: true,
        data: {
          id: expect.stringMatching(/^cev_[0-9A-HJKMNP-TV-Z]{26}$/),
          customerId: customer.id,
          type: 'order.placed',
          title: null,
          payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
          occurredAt: expect.stringMatching(ISO_MS_UTC),
          createdAt: expect.stringMatching(ISO_MS_UTC),
        },
        timestamp: expect.stringMatching(ISO_MS_UTC),
      });
      const { data } = response.body;
      const [record] = await eventually(() => {
        const found = topic.where((v) => v.id === data.id);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(record.key).toBe(customer.id);
      expect(record.value).toEqual({
        id: data.id,
        workspaceId,
        customerId: customer.id,
        customerExternalId: 'user_42',
        type: 'order.placed',
        title: null,
        payload: SEED_EVENT.payload,
        occurredAt: data.occurredAt,
        createdAt: data.createdAt,
      });
    });

    it('stores a title as sent (spaces, accents and emoji kept), answers it and publishes it', async () => {
      const title = ' Order ord_9001 placed — 149.90 € 🎉 ';
      const response = await post({ ...SEED_EVENT, title });

      expect(response.status).toBe(201);
      expect(response.body.data.title).toBe(title);
      const [record] = await eventually(() => {
        const found = topic.where((v) => v.id === response.body.data.id);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(record.value.title).toBe(title);
    });

    it('accepts a title of exactly 200 characters (emoji count once)', async () => {
      const response = await post({ ...SEED_EVENT, title: '🎉'.repeat(200) });

      expect(response.status).toBe(201);
      expect(response.body.data.title).toBe('🎉'.repeat(200));
    });

    it('defaults payload to {} and occurredAt to the time the event was accepted', async () => {
      const response = await post({ customerExternalId: 'user_42', type: 'trial.started' });

      expect(response.status).toBe(201);
      expect(response.body.data.payload).toEqual({});
      expect(response.body.data.occurredAt).toBe(response.body.data.createdAt);
    });

    it('keeps an antidated occurredAt, normalised to UTC with milliseconds', async () => {
      const response = await post({ ...SEED_EVENT, occurredAt: '2024-02-29T12:00:00.5+02:00' });

      expect(response.status).toBe(201);
      expect(response.body.data.occurredAt).toBe('2024-02-29T10:00:00.500Z');
    });

    it('accepts a type of exactly 100 characters and a payload of exactly 32 KiB', async () => {
      const payload = { data: 'x'.repeat(32 * 1024 - '{"data":""}'.length) };
      expect(Buffer.byteLength(JSON.stringify(payload))).toBe(32 * 1024);

      const response = await post({ customerExternalId: 'user_42', type: 'a'.repeat(100), payload });

      expect(response.status).toBe(201);
    });

    it('publishes nothing for refused requests', async () => {
      const externalId = uniqueExternalId();
      const target = await createCustomer(gateway.url, apiKey, externalId);
      const refusedBodies = [
        { customerExternalId: externalId, type: 'Bad Type' },
        { customerExternalId: externalId, type: 'order.placed', occurredAt: 'yesterday' },
        { customerExternalId: externalId, type: 'order.placed', payload: { big: 'x'.repeat(40_000) } },
        { customerExternalId: externalId, type: 'order.placed', occured_at: '2026-04-18T10:00:00Z' },
      ];
      for (const body of refusedBodies) expect((await post(body)).status).toBeGreaterThanOrEqual(400);
      const accepted = await post({ customerExternalId: externalId, type: 'order.placed' });
      expect(accepted.status).toBe(201);

      await eventually(() => expect(topic.where((v) => v.id === accepted.body.data.id)).toHaveLength(1));
      expect(topic.where((v) => v.customerId === target.id).map((r) => r.value.id)).toEqual([
        accepted.body.data.id,
      ]);
    });
  });

  describe('validation (400 VALIDATION_ERROR naming the field)', () => {
    it.each([
      ['customerExternalId is missing', { type: 'order.placed' }, 'customerExternalId'],
      ['customerExternalId is empty', { customerExternalId: '', type: 'order.placed' }, 'customerExternalId'],
      [
        'customerExternalId is over 255 characters',
        { customerExternalId: 'u'.repeat(256), type: 'a' },
        'customerExternalId',
      ],
      [
        'customerExternalId is not a string',
        { customerExternalId: 42, type: 'order.placed' },
        'customerExternalId',
      ],
      ['type is missing', { customerExternalId: 'user_42' }, 'type'],
      ['type has capitals', { customerExternalId: 'user_42', type: 'Order.Placed' }, 'type'],
      ['type has a space', { customerExternalId: 'user_42', type: 'order placed' }, 'type'],
      ['type has a dash', { customerExternalId: 'user_42', type: 'order-placed' }, 'type'],
      ['type is empty', { customerExternalId: 'user_42', type: '' }, 'type'],
      ['type is over 100 characters', { customerExternalId: 'user_42', type: 'a'.repeat(101) }, 'type'],
      [
        'occurredAt is not a real date (2026-02-30)',
        { ...SEED_EVENT, occurredAt: '2026-02-30T00:00:00Z' },
        'occurredAt',
      ],
      ['occurredAt is a bare date', { ...SEED_EVENT, occurredAt: '2026-04-18' }, 'occurredAt'],
      ['occurredAt is "yesterday"', { ...SEED_EVENT, occurredAt: 'yesterday' }, 'occurredAt'],
      ['occurredAt is an epoch number', { ...SEED_EVENT, occurredAt: 1713434400 }, 'occurredAt'],
      ['occurredAt is an epoch string', { ...SEED_EVENT, occurredAt: '1713434400' }, 'occurredAt'],
      ['occurredAt has no offset', { ...SEED_EVENT, occurredAt: '2026-04-18T10:00:00' }, 'occurredAt'],
      ['occurredAt is null', { ...SEED_EVENT, occurredAt: null }, 'occurredAt'],
      ['payload is an array', { ...SEED_EVENT, payload: [1, 2] }, 'payload'],
      ['payload is a string', { ...SEED_EVENT, payload: 'order' }, 'payload'],
      ['payload is a number', { ...SEED_EVENT, payload: 42 }, 'payload'],
      ['payload is null', { ...SEED_EVENT, payload: null }, 'payload'],
      ['title is empty', { ...SEED_EVENT, title: '' }, 'title'],
      ['title is over 200 characters', { ...SEED_EVENT, title: 't'.repeat(201) }, 'title'],
      ['title is only spaces', { ...SEED_EVENT, title: '   ' }, 'title'],
      ['title has a newline', { ...SEED_EVENT, title: 'two\nlines' }, 'title'],
      ['title has a control character', { ...SEED_EVENT, title: 'red \u001b[31m' }, 'title'],
      ['title has a NUL', { ...SEED_EVENT, title: 'a\u0000b' }, 'title'],
      ['title is a number', { ...SEED_EVENT, title: 42 }, 'title'],
      ['title is null', { ...SEED_EVENT, title: null }, 'title'],
      [
        'a field is unknown (a misspelt occured_at)',
        { ...SEED_EVENT, occured_at: '2026-04-18T10:00:00Z' },
        'occured_at',
      ],
    ])('refuses a body where %s', async (_, body, field) => {
      const response = await post(body);

      expectError(response, 400, 'VALIDATION_ERROR', field);
    });

    it('names the unknown field in the message', async () => {
      const response = await post({ ...SEED_EVENT, occured_at: '2026-04-18T10:00:00Z' });

      expect(response.body.error.details).toContainEqual({
        field: 'occured_at',
        message: 'unknown field "occured_at"',
      });
    });

    it('refuses malformed JSON', async () => {
      const response = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        rawBody: '{"customerExternalId": "user_42", "type": ',
        headers: { 'Content-Type': 'application/json' },
      });

      expectError(response, 400, 'VALIDATION_ERROR', 'body');
    });

    it('refuses an empty JSON body and a body that is not an object', async () => {
      const empty = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        rawBody: '',
        headers: { 'Content-Type': 'application/json' },
      });
      const array = await post([SEED_EVENT]);

      expectError(empty, 400, 'VALIDATION_ERROR');
      expectError(array, 400, 'VALIDATION_ERROR');
    });

    it('refuses an Idempotency-Key over 255 characters', async () => {
      const response = await post(SEED_EVENT, { 'Idempotency-Key': 'k'.repeat(256) });

      expectError(response, 400, 'VALIDATION_ERROR', 'Idempotency-Key');
    });
  });

  describe('the other errors of the contract', () => {
    it('answers 413 PAYLOAD_TOO_LARGE for a payload over 32 KiB', async () => {
      const response = await post({ ...SEED_EVENT, payload: { data: 'x'.repeat(32 * 1024) } });

      expectError(response, 413, 'PAYLOAD_TOO_LARGE', 'payload');
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body over 1 MiB', async () => {
      const response = await post({ ...SEED_EVENT, payload: { data: 'x'.repeat(1024 * 1024) } });

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'answers 415 UNSUPPORTED_MEDIA_TYPE for a %s body',
      async (contentType) => {
        const response = await request(gateway.url, 'POST', '/api/v1/customer-events', {
          apiKey,
          rawBody: JSON.stringify(SEED_EVENT),
          headers: { 'Content-Type': contentType },
        });

        expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('answers 404 CUSTOMER_NOT_FOUND for an externalId with no customer in the workspace', async () => {
      const response = await post({ ...SEED_EVENT, customerExternalId: 'user_nobody' });

      expectError(response, 404, 'CUSTOMER_NOT_FOUND', 'customerExternalId');
    });

    it('answers 404 NOT_FOUND for an unknown route', async () => {
      const response = await request(gateway.url, 'POST', '/api/v1/customer-event', {
        apiKey,
        body: SEED_EVENT,
      });

      expectError(response, 404, 'NOT_FOUND');
    });
  });

  describe('authentication (401 UNAUTHORIZED)', () => {
    it('refuses a request without X-API-Key', async () => {
      expectError(await postEvent(gateway.url, '', SEED_EVENT), 401, 'UNAUTHORIZED');
    });

    it('refuses a malformed or unknown key', async () => {
      const unknown = `sdk_mu_01JS1XK9Z8Y7X6W5V4T3S2R1QP_${'A'.repeat(43)}`;

      expectError(await postEvent(gateway.url, 'not-a-key', SEED_EVENT), 401, 'UNAUTHORIZED');
      expectError(await postEvent(gateway.url, unknown, SEED_EVENT), 401, 'UNAUTHORIZED');
    });

    it('refuses a revoked key', async () => {
      const revoked = await createApiKey();
      await createCustomer(gateway.url, revoked.apiKey, uniqueExternalId()); // the key works before
      await sql('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [revoked.apiKeyId]);
      // Verified keys are trusted for API_KEY_CACHE_TTL_MS (5 s): revocation shows within that delay.
      await eventually(
        async () =>
          expectError(await postEvent(gateway.url, revoked.apiKey, SEED_EVENT), 401, 'UNAUTHORIZED'),
        10_000,
        500,
      );
    });
  });
  describe('the direct path (a recently verified key and a body valid as sent)', () => {
    const direct = (route: string) =>
      metricSum(gateway.url, 'gateway_ingest_direct_requests_total', { route });

    it('answers a valid event of a verified key on the direct path, the same answer the controller gives', async () => {
      const workspace = `ws-direct-${uniqueExternalId()}`;
      const other = await createCustomer(
        gateway.url,
        (await createApiKey(workspace)).apiKey,
        uniqueExternalId(),
      );
      const fresh = await createApiKey(workspace); // a second key of that workspace, not used yet
      const body = { ...SEED_EVENT, customerExternalId: other.externalId, title: 'Order placed' };
      const before = await direct('single');

      const viaController = await postEvent(gateway.url, fresh.apiKey, body); // verifies the key
      const afterFirst = await direct('single');
      const viaHook = await postEvent(gateway.url, fresh.apiKey, body);

      expect(afterFirst).toBe(before);
      expect(await direct('single')).toBe(before + 1);
      for (const response of [viaController, viaHook]) {
        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          success: true,
          data: {
            id: expect.stringMatching(/^cev_/),
            customerId: other.id,
            type: SEED_EVENT.type,
            title: 'Order placed',
            payload: SEED_EVENT.payload,
            occurredAt: expect.stringMatching(ISO_MS_UTC),
            createdAt: expect.stringMatching(ISO_MS_UTC),
          },
          timestamp: expect.stringMatching(ISO_MS_UTC),
        });
      }
    });

    it('leaves an invalid body to the controller, whose error names the field', async () => {
      const before = await direct('single');

      const response = await post({ ...SEED_EVENT, type: 'Order Placed' });

      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details).toEqual([{ field: 'type', message: expect.any(String) }]);
      expect(await direct('single')).toBe(before);
    });

    it("carries the caller's trace into the Kafka message and counts the request in the request metrics", async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const seconds = () =>
        metricSum(gateway.url, 'http_request_duration_seconds_count', {
          route: '/api/v1/customer-events',
          status: '201',
        });
      await post(SEED_EVENT); // the key is verified
      const [directBefore, countBefore] = [await direct('single'), await seconds()];

      const response = await post(SEED_EVENT, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });

      expect(response.status).toBe(201);
      expect(await direct('single')).toBe(directBefore + 1);
      expect(await seconds()).toBe(countBefore + 1);
      const [record] = await eventually(() => {
        const found = topic.where((v) => v.id === response.body.data.id);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(record.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(record.headers.traceparent).not.toContain('00f067aa0ba902b7');
    });

    it('hands a body it has read but cannot take as sent to the JSON parser and the controller, unchanged', async () => {
      await post(SEED_EVENT); // the key is verified
      const before = await direct('single');
      const inexact = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        headers: { 'content-type': 'application/json' },
        rawBody: `{"customerExternalId":"user_42","type":"order.placed","payload":{"total":1e400}}`,
      });
      const escaped = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        headers: { 'content-type': 'application/json' },
        rawBody: `{"customerExternalId":"user_42","type":"order.pl\\u0061ced","title":"caf\\u00e9"}`,
      });
      const truncated = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        headers: { 'content-type': 'application/json' },
        rawBody: `{"customerExternalId":"user_42","type":"order.placed"`,
      });

      expectError(inexact, 400, 'VALIDATION_ERROR');
      expect(inexact.body.error.details).toEqual([{ field: 'payload.total', message: expect.any(String) }]);
      expect(escaped.status).toBe(201);
      expect(escaped.body.data).toMatchObject({ type: 'order.placed', title: 'café' });
      expectError(truncated, 400, 'VALIDATION_ERROR');
      expect(truncated.body.error.details).toEqual([{ field: 'body', message: expect.any(String) }]);
      expect(await direct('single')).toBe(before);
    });

    it('answers a refusal of an event it took itself in the error envelope (an unknown customer)', async () => {
      await post(SEED_EVENT); // the key is verified
      const before = await direct('single');

      const response = await post({ ...SEED_EVENT, customerExternalId: `nobody-${uniqueExternalId()}` });

      expectError(response, 404, 'CUSTOMER_NOT_FOUND');
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await direct('single')).toBe(before + 1);
    });

    it('answers a valid batch of a verified key on the direct path', async () => {
      const before = await direct('batch');

      const response = await postBatch(gateway.url, apiKey, { events: [SEED_EVENT, SEED_EVENT] });

      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ accepted: 2, rejected: 0 });
      expect(await direct('batch')).toBe(before + 1);
    });
  });
});
