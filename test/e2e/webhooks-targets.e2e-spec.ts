import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { createApiKey } from '@test/support/fixtures';

const TARGET_ID = /^whTarget_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('webhook targets API', () => {
  let dispatcher: AppProcess;
  let apiKey: string;

  beforeAll(async () => {
    dispatcher = await AppProcess.start('webhook-dispatcher');
    ({ apiKey } = await createApiKey());
  });

  afterAll(async () => {
    await dispatcher?.stop();
  });

  const api = (method: string, path: string, body?: unknown, key = apiKey) =>
    request(dispatcher.url, method, `/api/v1${path}`, { apiKey: key, body });

  it('registers a target with the newest version by default and shows its whsec_ secret only once', async () => {
    const created = await api('POST', '/webhook-targets', {
      url: 'https://example.com/hooks/plain',
      eventTypes: ['customer.customer_updated'],
      description: 'CRM sync',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      url: 'https://example.com/hooks/plain',
      version: '2026-02-27',
      eventTypes: ['customer.customer_updated'],
      description: 'CRM sync',
      enabled: true,
      disabledReason: null,
      previousSecretExpiresAt: null,
    });
    expect(created.body.data.id).toMatch(TARGET_ID);
    const secret: string = created.body.data.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const read = await api('GET', `/webhook-targets/${created.body.data.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data).not.toHaveProperty('secret');
    expect(JSON.stringify(read.body)).not.toContain(secret.slice(6));
    const { secret: _secret, ...withoutSecret } = created.body.data;
    expect(read.body.data).toEqual(withoutSecret);
  });

  it('lists, changes and deletes targets', async () => {
    const created = await api('POST', '/webhook-targets', {
      url: 'https://example.com/a',
      version: '2024-09-18',
      eventTypes: ['customer.customer_created', 'customer.customer_changed'],
      enabled: false,
    });
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;

    const list = await api('GET', '/webhook-targets');
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((t: { id: string }) => t.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const patched = await api('PATCH', `/webhook-targets/${id}`, {
      url: 'https://example.com/b',
      version: '2025-08-06',
      eventTypes: ['customer.customer_deleted'],
      description: null,
      enabled: true,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      id,
      url: 'https://example.com/b',
      version: '2025-08-06',
      eventTypes: ['customer.customer_deleted'],
      description: null,
      enabled: true,
    });

    const deleted = await api('DELETE', `/webhook-targets/${id}`);
    expect(deleted.status).toBe(200);
    expect((await api('GET', `/webhook-targets/${id}`)).status).toBe(404);
  });

  it('pages the list with an opaque cursor, newest first', async () => {
    const { apiKey: ownKey } = await createApiKey();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api(
        'POST',
        '/webhook-targets',
        { url: `https://example.com/${i}`, eventTypes: ['customer.customer_updated'] },
        ownKey,
      );
      ids.push(created.body.data.id);
    }
    const first = await api('GET', '/webhook-targets?limit=2', undefined, ownKey);
    expect(first.body.data).toMatchObject({ hasMore: true });
    const second = await api(
      'GET',
      `/webhook-targets?limit=2&cursor=${first.body.data.nextCursor}`,
      undefined,
      ownKey,
    );
    expect(second.body.data).toMatchObject({ hasMore: false, nextCursor: null });
    const seen = [...first.body.data.items, ...second.body.data.items].map((t: { id: string }) => t.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it('rotates the secret: the answer shows a new secret and when the previous one stops signing', async () => {
    const created = await api('POST', '/webhook-targets', {
      url: 'https://example.com/r',
      eventTypes: ['customer.customer_updated'],
    });
    const rotated = await api('POST', `/webhook-targets/${created.body.data.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    expect(rotated.body.data.secret).not.toBe(created.body.data.secret);
    const expires = Date.parse(rotated.body.data.previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it.each([
    ['no eventTypes', { url: 'https://example.com' }, 'eventTypes'],
    [
      'an unknown event type',
      { url: 'https://example.com', eventTypes: ['thread.thread_created'] },
      'eventTypes',
    ],
    [
      'an unknown version',
      { url: 'https://example.com', version: '2023-01-01', eventTypes: ['customer.customer_updated'] },
      'version',
    ],
    ['an ftp URL', { url: 'ftp://example.com/x', eventTypes: ['customer.customer_updated'] }, 'url'],
    ['a relative URL', { url: '/hooks', eventTypes: ['customer.customer_updated'] }, 'url'],
    [
      'an unknown field',
      { url: 'https://example.com', eventTypes: ['customer.customer_updated'], secret: 'x' },
      'secret',
    ],
  ])('refuses %s with VALIDATION_ERROR naming the field', async (_, body, field) => {
    const response = await api('POST', '/webhook-targets', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it("answers 404 to another workspace's key for every target and delivery route", async () => {
    const created = await api('POST', '/webhook-targets', {
      url: 'https://example.com/mine',
      eventTypes: ['customer.customer_updated'],
    });
    const id: string = created.body.data.id;
    const { apiKey: otherKey } = await createApiKey();
    for (const [method, path, body] of [
      ['GET', `/webhook-targets/${id}`],
      ['PATCH', `/webhook-targets/${id}`, { enabled: false }],
      ['DELETE', `/webhook-targets/${id}`],
      ['POST', `/webhook-targets/${id}/rotate-secret`],
      ['GET', `/webhook-targets/${id}/deliveries`],
    ] as Array<[string, string, unknown?]>) {
      const response = await api(method, path, body, otherKey);
      expect([method, path, response.status, response.body.error?.code]).toEqual([
        method,
        path,
        404,
        'NOT_FOUND',
      ]);
    }
    const others = await api('GET', '/webhook-targets', undefined, otherKey);
    expect(others.body.data.items).toEqual([]);
    expect((await api('GET', `/webhook-targets/${id}`)).body.data.enabled).toBe(true);
  });

  it('answers 401 without a valid X-API-Key', async () => {
    const response = await request(dispatcher.url, 'GET', '/api/v1/webhook-targets');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHORIZED');
  });

  describe('with private targets disallowed', () => {
    let strict: AppProcess;

    beforeAll(async () => {
      strict = await AppProcess.start('webhook-dispatcher', { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    });

    afterAll(async () => {
      await strict?.stop();
    });

    it.each([
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/hook',
      'http://localhost:3000/hook',
      'http://2130706433/hook',
      'http://[::ffff:127.0.0.1]/hook',
    ])('refuses %s at registration and on change', async (url) => {
      const created = await request(strict.url, 'POST', '/api/v1/webhook-targets', {
        apiKey,
        body: { url, eventTypes: ['customer.customer_updated'] },
      });
      expect(created.status).toBe(400);
      expect(created.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'url' }] });
      expect(created.body.error.message).toMatch(/private, loopback or link-local/);

      const target = await request(strict.url, 'POST', '/api/v1/webhook-targets', {
        apiKey,
        body: { url: 'https://93.184.215.14/hook', eventTypes: ['customer.customer_updated'] },
      });
      expect(target.status).toBe(201);
      const patched = await request(strict.url, 'PATCH', `/api/v1/webhook-targets/${target.body.data.id}`, {
        apiKey,
        body: { url },
      });
      expect(patched.status).toBe(400);
    });
  });
});
