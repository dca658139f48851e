import fc from 'fast-check';
import { newId } from '@app/contracts';
import { AppProcess } from '@test/support/app-process';
import { createApiKey } from '@test/support/fixtures';
import {
  anyText,
  checkProperty as run,
  FUZZ_SEED as SEED,
  nonBoolean,
  nonObject,
  nonString,
  pathSegment,
  queryOf,
  unknownKey,
  withKey,
  without,
} from '@test/support/hostile-arbitraries';
import { expectNoServerError, expectRefusal, rssAfterwards, rssMiB, send } from '@test/support/hostile-http';

const EVENT_TYPES = [
  'customer.customer_created',
  'customer.customer_updated',
  'customer.customer_deleted',
  'customer.customer_changed',
];
const VERSIONS = ['2024-09-18', '2025-08-06', '2026-02-27'];
const STATUSES = ['pending', 'in_progress', 'succeeded', 'failed'];

/**
 * Property-based fuzzing of every webhook-dispatcher endpoint: target bodies, ids in paths, query strings and
 * headers that are invalid by construction get a 4xx and change nothing; the process stays up, memory flat.
 */
describe('hostile input: fuzzing the webhook dispatcher', () => {
  let dispatcher: AppProcess;
  let apiKey: string;
  let targetId: string;
  let baselineMiB: number;
  const call = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    send(dispatcher.url, method, `/api/v1${path}`, { json, headers: { 'x-api-key': apiKey, ...headers } });

  const validTarget = fc.record(
    {
      url: fc
        .webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true })
        .filter((u) => u.length <= 2048),
      version: fc.constantFrom(...VERSIONS),
      eventTypes: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 4 }),
      description: fc.string({ maxLength: 500 }),
      enabled: fc.boolean(),
    },
    { requiredKeys: ['url', 'eventTypes'] },
  );
  const fields = ['url', 'version', 'eventTypes', 'description', 'enabled'];

  /** One field broken in an otherwise valid target (for PATCH the required ones may be left out, not broken). */
  const brokenTarget = (forCreate: boolean) =>
    validTarget.chain((base) =>
      fc.oneof(
        ...(forCreate ? [fc.constantFrom('url', 'eventTypes').map((k) => without(base, k))] : []),
        fc
          .oneof(
            nonString,
            fc.constantFrom(
              '',
              'not a url',
              '//no-scheme.example.com/x',
              'ftp://example.com/x',
              'file:///etc/passwd',
              'javascript:alert(1)',
              'data:text/plain,hi',
              'gopher://example.com',
              'http://',
              'http://exa mple.com/',
            ),
            fc.constant(`https://example.com/${'a'.repeat(2048)}`),
          )
          .map((url) => ({ ...base, url })),
        fc
          .oneof(
            nonString,
            fc.string({ maxLength: 12 }).filter((v) => !VERSIONS.includes(v)),
          )
          .map((version) => ({ ...base, version })),
        fc
          .oneof(
            nonObject.filter((v) => !Array.isArray(v)),
            fc.constant([]),
            fc.array(
              fc.string({ maxLength: 30 }).filter((t) => !EVENT_TYPES.includes(t)),
              { minLength: 1, maxLength: 3 },
            ),
            fc.constantFrom(...EVENT_TYPES).map((t) => [t, t]),
          )
          .map((eventTypes) => ({ ...base, eventTypes })),
        fc
          .oneof(
            nonString.filter((v) => v !== null),
            fc.string({ minLength: 501, maxLength: 520 }),
          )
          .map((description) => ({ ...base, description })),
        nonBoolean.map((enabled) => ({ ...base, enabled })),
        fc.tuple(unknownKey(fields), fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => withKey(base, k, v)),
        ...(forCreate ? [nonObject] : [nonObject.filter((v) => v !== null)]),
      ),
    );

  beforeAll(async () => {
    dispatcher = await AppProcess.start('webhook-dispatcher', { DATABASE_POOL_SIZE: '4' });
    ({ apiKey } = await createApiKey());
    const created = await call('POST', '/webhook-targets', {
      url: 'https://hooks.example.com/fuzz',
      eventTypes: ['customer.customer_updated'],
      description: 'fuzz target',
    });
    targetId = created.body.data.id;
    for (let i = 0; i < 100; i++) await call('GET', `/webhook-targets/${targetId}`);
    baselineMiB = rssMiB(dispatcher);
  });

  afterAll(async () => {
    await dispatcher?.stop();
  });

  it('POST /webhook-targets: a target with one broken field is a 400, and nothing is created', async () => {
    const before = (await call('GET', '/webhook-targets?limit=200')).body.data.items.length;
    await run(brokenTarget(true), 500, async (body) =>
      expectRefusal(await call('POST', '/webhook-targets', body), [400]),
    );
    expect((await call('GET', '/webhook-targets?limit=200')).body.data.items.length).toBe(before);
  });

  it('POST /webhook-targets: valid targets generated the same way are created (201) and read back', async () => {
    await run(validTarget, 60, async (body) => {
      const created = await call('POST', '/webhook-targets', body);
      if (created.status !== 201) throw new Error(`valid target refused: ${created.status} ${created.text}`);
      expect(created.body.data.secret).toMatch(/^whsec_/);
      const read = await call('GET', `/webhook-targets/${created.body.data.id}`);
      expect(read.body.data).toMatchObject({ url: body.url, eventTypes: body.eventTypes });
      expect(read.body.data.secret).toBeUndefined();
      expect((await call('DELETE', `/webhook-targets/${created.body.data.id}`)).status).toBe(200);
    });
  });

  it('PATCH /webhook-targets/{id}: one broken field is a 400 and the target is unchanged', async () => {
    const before = (await call('GET', `/webhook-targets/${targetId}`)).body.data;
    await run(brokenTarget(false), 400, async (body) =>
      expectRefusal(await call('PATCH', `/webhook-targets/${targetId}`, body), [400]),
    );
    expect((await call('GET', `/webhook-targets/${targetId}`)).body.data).toEqual(before);
  });

  it('ids in paths: anything but an existing id of this workspace is a 404 (or 400), on every route', async () => {
    const routes = fc.constantFrom(
      ['GET', (id: string) => `/webhook-targets/${id}`],
      ['PATCH', (id: string) => `/webhook-targets/${id}`],
      ['DELETE', (id: string) => `/webhook-targets/${id}`],
      ['POST', (id: string) => `/webhook-targets/${id}/rotate-secret`],
      ['GET', (id: string) => `/webhook-targets/${id}/deliveries`],
      ['GET', (id: string) => `/webhook-deliveries/${id}`],
      ['POST', (id: string) => `/webhook-deliveries/${id}/retry`],
    ) as fc.Arbitrary<[string, (id: string) => string]>;
    const id = fc.oneof(
      pathSegment(
        60,
        'whTarget_',
        'whDelivery_',
        'null',
        'undefined',
        '0',
        '-1',
        "1' OR '1'='1",
        '%00',
        '..%2F..',
      ),
      fc.constant(null).map(() => newId('whTarget')),
      fc.constant(null).map(() => newId('whDelivery')),
      fc.constant(null).map(() => targetId.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))),
    );
    await run(fc.tuple(routes, id), 500, async ([[method, path], value]) => {
      const answer = await call(method, path(value), method === 'PATCH' ? { description: 'x' } : undefined);
      expectRefusal(answer, [400, 404]);
    });
    expect((await call('GET', `/webhook-targets/${targetId}`)).body.data.description).toBe('fuzz target');
  });

  it('query strings: unknown, malformed or out-of-range parameters are 400; valid ones 200', async () => {
    const key = fc.oneof(
      fc.constantFrom('limit', 'cursor', 'status'),
      fc.string({ minLength: 1, maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      anyText(30),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom('0', '201', '1.5', '1e2', ' 5', 'NaN', '', ...STATUSES),
    );
    const path = fc.constantFrom('/webhook-targets', `/webhook-targets/TARGET/deliveries`);
    await run(fc.tuple(path, fc.array(fc.tuple(key, value), { maxLength: 3 })), 500, async ([p, pairs]) => {
      const answer = await call('GET', `${p.replace('TARGET', targetId)}${queryOf(pairs)}`);
      expectNoServerError(answer);
      const valid = pairs.every(
        ([k, v]) =>
          (k === 'limit' && /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 200) ||
          (k === 'status' && p.endsWith('deliveries') && STATUSES.includes(v)),
      );
      const names = pairs.map(([k]) => k);
      if (valid && new Set(names).size === names.length) expect(answer.status).toBe(200);
      else if (pairs.some(([k]) => !['limit', 'cursor', 'status'].includes(k)))
        expect(answer.status).toBe(400);
    });
  });

  it('headers: unknown keys are 401 on every route, non-JSON bodies 415', async () => {
    const printable = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 200 });
    await run(printable, 200, async (key) =>
      expectRefusal(
        await send(dispatcher.url, 'GET', `/api/v1/webhook-targets/${targetId}`, {
          headers: { 'x-api-key': key.trim() || 'x' },
        }),
        [401],
      ),
    );
    const mediaType = fc.constantFrom(
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    );
    await run(mediaType, 40, async (contentType) =>
      expectRefusal(
        await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
          rawBody: JSON.stringify({
            url: 'https://example.com/x',
            eventTypes: ['customer.customer_created'],
          }),
          headers: { 'x-api-key': apiKey, 'content-type': contentType },
        }),
        [400, 415],
      ),
    );
  });

  it('stays up, and its memory stays flat through all of it', async () => {
    const after = await rssAfterwards('hostile-fuzz-dispatcher', SEED, dispatcher, baselineMiB);
    expect(after - baselineMiB).toBeLessThan(100);
  });
});
