import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { uniqueExternalId } from '@test/support/fixtures';
import { gatewayAndProjectorWithCustomer } from './projector-fixtures';
import { expectError } from './gateway-helpers';

/**
 * The gateway acknowledges only what every consumer can store: each value it used to answer 201 for and the
 * projector then dead-lettered (or stored altered) is refused with a 400 naming the field, and what is accepted
 * reads back from the timeline exactly as sent.
 */
describe('gateway: only storable values are acknowledged', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  let externalId: string;

  beforeAll(async () => {
    ({ gateway, projector, apiKey, externalId } = await gatewayAndProjectorWithCustomer());
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  /** JSON.stringify writes a lone surrogate as the escape `\ud800`: the body on the wire is well-formed UTF-8. */
  const event = (fields: Record<string, unknown> = {}) => ({
    customerExternalId: externalId,
    type: 'storable.check',
    ...fields,
  });
  const post = (body: unknown) => request(gateway.url, 'POST', '/api/v1/customer-events', { apiKey, body });
  const postRaw = (rawBody: string) =>
    request(gateway.url, 'POST', '/api/v1/customer-events', {
      apiKey,
      rawBody,
      headers: { 'Content-Type': 'application/json' },
    });
  const timelineItem = (id: string) =>
    eventually(async () => {
      const page = await request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline?limit=200`, {
        apiKey,
      });
      const item = (page.body.data.items as Array<{ id: string }>).find((i) => i.id === id);
      expect(item).toBeDefined();
      return item as { id: string; payload: unknown; occurredAt: string };
    });

  describe('lone UTF-16 surrogates', () => {
    it.each([
      ['a payload value', { payload: { some: { key: 'a\ud800b' } } }, 'payload.some.key'],
      ['a payload key', { payload: { some: { ['a\udc00b']: 1 } } }, 'payload.some.a\udc00b'],
      ['customerExternalId', { customerExternalId: 'user\ud800' }, 'customerExternalId'],
    ])('in %s: 400 VALIDATION_ERROR naming the field', async (_, fields, field) => {
      const response = await post(event(fields));
      expectError(response, 400, 'VALIDATION_ERROR', field);
    });

    it('a well-formed pair (an emoji) is accepted and read back as sent', async () => {
      const response = await post(event({ payload: { mood: '\ud83c\udf89' } }));
      expect(response.status).toBe(201);
      expect((await timelineItem(response.body.data.id)).payload).toEqual({ mood: '🎉' });
    });
  });

  describe('occurredAt years', () => {
    it.each(['0000-06-15T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])(
      '%s (outside 0001–9999 once its offset is applied) is 400 naming occurredAt',
      async (occurredAt) =>
        expectError(await post(event({ occurredAt })), 400, 'VALIDATION_ERROR', 'occurredAt'),
    );

    it.each([
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['0044-02-29T12:34:56.789Z', '0044-02-29T12:34:56.789Z'],
      ['0099-12-31T23:59:59.999+05:00', '0099-12-31T18:59:59.999Z'],
      ['0000-12-31T23:30:00-01:00', '0001-01-01T00:30:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ])('%s is accepted and lands on the timeline at %s (never read as 19xx)', async (occurredAt, instant) => {
      const response = await post(event({ occurredAt }));
      expect(response.status).toBe(201);
      expect(response.body.data.occurredAt).toBe(instant);
      expect((await timelineItem(response.body.data.id)).occurredAt).toBe(instant);
    });
  });

  describe('numbers', () => {
    it.each([
      ['1e400 (Infinity once parsed)', '1e400'],
      ['-1e400', '-1e400'],
      ['2^53+1 (read as 2^53)', '9007199254740993'],
      ['a 30-digit integer', '123456789012345678901234567890'],
    ])('%s is 400 naming the field', async (_, literal) => {
      const rawBody = `{"customerExternalId":"${externalId}","type":"a.b","payload":{"deep":[{"n":${literal}}]}}`;
      expectError(await postRaw(rawBody), 400, 'VALIDATION_ERROR', 'payload.deep[0].n');
    });

    it('±(2^53−1) are accepted and read back exactly', async () => {
      const payload = { max: 9007199254740991, min: -9007199254740991, tiny: 5e-324, pi: 3.141592653589793 };
      const response = await post(event({ payload }));
      expect(response.status).toBe(201);
      expect(JSON.stringify((await timelineItem(response.body.data.id)).payload)).toBe(
        JSON.stringify(payload),
      );
    });
  });

  describe('NUL (U+0000)', () => {
    it('in the single endpoint is 400 naming the field', async () => {
      expectError(
        await post(event({ payload: { note: 'a\u0000b' } })),
        400,
        'VALIDATION_ERROR',
        'payload.note',
      );
      expectError(
        await post(event({ customerExternalId: 'a\u0000' })),
        400,
        'VALIDATION_ERROR',
        'customerExternalId',
      );
    });

    it('in one batch item refuses only that item; the others are accepted and projected', async () => {
      const response = await request(gateway.url, 'POST', '/api/v1/customer-events/batch', {
        apiKey,
        body: {
          events: [
            event({ payload: { n: 1 } }),
            event({ customerExternalId: 'user\u0000' }),
            event({ payload: { note: 'a\u0000b' } }),
            event({ payload: { ['k\ud800']: 1 } }),
            event({ occurredAt: '0000-06-15T00:00:00Z' }),
            event({ payload: { n: 2 } }),
          ],
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ accepted: 2, rejected: 4 });
      const { results } = response.body.data as {
        results: Array<{ success: boolean; data?: { id: string }; error?: { code: string; details: any[] } }>;
      };
      expect(results.map((r) => r.error?.details[0].field ?? 'ok')).toEqual([
        'ok',
        'customerExternalId',
        'payload.note',
        'payload.k\ud800',
        'occurredAt',
        'ok',
      ]);
      for (const r of results.filter((r) => !r.success)) expect(r.error?.code).toBe('VALIDATION_ERROR');
      for (const r of results.filter((r) => r.success)) await timelineItem(r.data!.id);
    });
  });

  describe('payload key order', () => {
    it('comes back from the timeline in the order sent, nested objects included', async () => {
      const rawPayload = '{"zeta":1,"alpha":{"y":[{"b":1,"a":2}],"x":null},"mid":"m","aa":true}';
      const response = await postRaw(
        `{"customerExternalId":"${externalId}","type":"a.b","payload":${rawPayload}}`,
      );
      expect(response.status).toBe(201);
      expect(JSON.stringify((await timelineItem(response.body.data.id)).payload)).toBe(rawPayload);
    });
  });

  describe('customers', () => {
    const put = (id: string, body: unknown) =>
      request(gateway.url, 'PUT', `/api/v1/customers/${id}`, { apiKey, body });
    const patch = (id: string, body: unknown) =>
      request(gateway.url, 'PATCH', `/api/v1/customers/${id}`, { apiKey, body });
    const valid = (id: string) => ({
      email: `${id}@example.com`,
      fullName: 'Peter Santos',
      shortName: 'Peter',
    });

    it.each([
      ['fullName', 'Peter\ud800'],
      ['shortName', '\udc00Pete'],
      ['email', 'pe\ud800ter@example.com'],
      ['fullName', 'Pe\u0000ter'],
    ])('PUT and PATCH with a %s of %j are 400 naming the field (never a 500)', async (field, value) => {
      const id = uniqueExternalId();
      expectError(await put(id, { ...valid(id), [field]: value }), 400, 'VALIDATION_ERROR', field);
      expect((await put(id, valid(id))).status).toBe(201);
      expectError(await patch(id, { [field]: value }), 400, 'VALIDATION_ERROR', field);
    });
  });
});
