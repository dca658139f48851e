import fc from 'fast-check';
import { AppProcess } from '@test/support/app-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import {
  expectNoServerError,
  expectRefusal,
  rssAfterwards,
  rssMiB,
  send,
  sendRaw,
} from '@test/support/hostile-http';
import {
  anyText,
  checkProperty as run,
  FUZZ_SEED as SEED,
  badDateTime,
  nonBoolean,
  nonObject,
  nonString,
  pathSegment,
  noReservedKeys,
  unknownKey,
  withKey,
  without,
} from '@test/support/hostile-arbitraries';
import { createCustomer } from './gateway-helpers';

const PROTOTYPE_MEMBER_NAMES = [
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];
const EVENT_FIELDS = ['customerExternalId', 'type', 'payload', 'occurredAt'];
const ITEM_FIELDS = [...EVENT_FIELDS, 'idempotencyKey'];

/**
 * Property-based fuzzing of every gateway endpoint with fast-check, against the real process: bodies, headers,
 * path parameters and query strings that are invalid by construction must get a clear 4xx, never a 2xx and
 * never a 5xx; valid ones generated alongside must succeed (so the refusals are not an artefact of a broken
 * set-up); the process stays up and its memory stays flat.
 */
describe('hostile input: fuzzing the gateway', () => {
  let gateway: AppProcess;
  let apiKey: string;
  let externalId: string;
  let baselineMiB: number;
  const auth = () => ({ 'x-api-key': apiKey });
  const postEvent = (json: unknown, headers: Record<string, string> = {}) =>
    send(gateway.url, 'POST', '/api/v1/customer-events', { json, headers: { ...auth(), ...headers } });

  const withinSafeRange = (value: unknown): boolean =>
    typeof value === 'number'
      ? Math.abs(value) <= Number.MAX_SAFE_INTEGER
      : typeof value !== 'object' || value === null || Object.values(value).every(withinSafeRange);

  const validEvent = () =>
    fc.record(
      {
        customerExternalId: fc.constant(externalId),
        type: fc.stringMatching(/^[a-z0-9_.]{1,100}$/),
        payload: fc
          .dictionary(
            // Keys named like Object.prototype members are ordinary data and must survive as sent.
            fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...PROTOTYPE_MEMBER_NAMES)),
            fc.jsonValue({ maxDepth: 3 }),
            { maxKeys: 5 },
          )
          // __proto__, constructor and prototype are refused by design (see the raw-body property).
          .filter((payload) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(payload)))
          // So are numbers beyond ±(2^53−1), which do not round-trip exactly (hostile-acceptance-property).
          .filter((payload) => withinSafeRange(payload)),
        occurredAt: fc
          .date({
            min: new Date('1970-01-01T00:00:00Z'),
            max: new Date('2100-01-01T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString()),
      },
      { requiredKeys: ['customerExternalId', 'type'] },
    );

  /** One field broken in an otherwise valid event (the one thing that makes it invalid). */
  const invalidEvent = (fields: string[]) =>
    validEvent().chain((base) =>
      fc.oneof(
        fc.constantFrom('customerExternalId', 'type').map((k) => without(base, k)),
        fc
          .oneof(nonString, fc.constant(''), fc.string({ minLength: 256, maxLength: 300 }))
          .map((v) => ({ ...base, customerExternalId: v })),
        fc
          .oneof(
            nonString,
            anyText(120, 1).filter((s) => !/^[a-z0-9_.]{1,100}$/.test(s)),
            fc.stringMatching(/^[a-z]{101,120}$/),
          )
          .map((v) => ({ ...base, type: v })),
        nonObject.map((v) => ({ ...base, payload: v })),
        badDateTime.map((v) => ({ ...base, occurredAt: v })),
        fc.tuple(unknownKey(fields), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withKey(base, k, v)),
      ),
    );

  beforeAll(async () => {
    gateway = await AppProcess.start('gateway', { DATABASE_POOL_SIZE: '4' });
    ({ apiKey } = await createApiKey());
    externalId = (await createCustomer(gateway.url, apiKey, uniqueExternalId())).externalId;
    // Warm up (JIT, pools, caches) before the memory baseline.
    for (let i = 0; i < 100; i++) await postEvent({ customerExternalId: externalId, type: 'warm.up' });
    baselineMiB = rssMiB(gateway);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('POST /customer-events: an event with one broken field is a 400, never accepted', async () => {
    await run(invalidEvent(EVENT_FIELDS), 500, async (body) => expectRefusal(await postEvent(body), [400]));
  });

  it('POST /customer-events: any other body (random JSON, random bytes, prototype poisoning) is a 400', async () => {
    const raw = fc.oneof(
      fc.json({ maxDepth: 3 }),
      anyText(200),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.constantFrom(
        '{"customerExternalId":"x","type":"a.b","__proto__":{"admin":true}}',
        '{"customerExternalId":"x","type":"a.b","payload":{"__proto__":{"polluted":1}}}',
        '{"customerExternalId":"x","type":"a.b","constructor":{"prototype":{"polluted":1}}}',
        '{"customerExternalId":"x","type":"a.b","payload":{"constructor":"would be dropped silently"}}',
        '{"customerExternalId":"x","type":"a.b","payload":{"a":[{"prototype":1}]}}',
        '{"customerExternalId":"x","type":"a.b",}',
        '{"customerExternalId":"x","type":"a.b"',
        '[{"customerExternalId":"x","type":"a.b"}]',
        'null',
        '',
        '\u0000',
        '{"customerExternalId":"x","type":"a.b","payload":{}}garbage',
      ),
    );
    await run(raw, 400, async (rawBody) => {
      const answer = await send(gateway.url, 'POST', '/api/v1/customer-events', {
        rawBody,
        headers: { ...auth(), 'content-type': 'application/json' },
      });
      expectRefusal(answer, [400]);
    });
  });

  it('POST /customer-events: valid events generated the same way are accepted (201), payload kept as sent', async () => {
    await run(validEvent(), 100, async (body) => {
      const answer = await postEvent(body);
      if (answer.status !== 201) throw new Error(`valid event refused: ${answer.status} ${answer.text}`);
      // As the client sent it over the wire (JSON has no -0, for one).
      expect(answer.body.data.payload).toEqual(JSON.parse(JSON.stringify(body.payload ?? {})));
    });
  });

  it('headers: unknown keys are 401, bad Idempotency-Keys are 400, non-JSON media types are 415', async () => {
    const body = { customerExternalId: externalId, type: 'fuzz.header' };
    const printable = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 300 });
    await run(
      fc.oneof(printable, fc.stringMatching(/^sdk_mu_[0-9A-HJKMNP-TV-Z]{26}_[A-Za-z0-9_-]{43}$/)),
      250,
      async (key) =>
        expectRefusal(
          await send(gateway.url, 'POST', '/api/v1/customer-events', {
            json: body,
            headers: { 'x-api-key': key.trim() || 'x' },
          }),
          [401],
        ),
    );
    await run(
      fc.oneof(
        fc.constant(''),
        // HTTP strips a header value's surrounding whitespace: what arrives must still be over 255 characters.
        fc
          .string({ unit: 'grapheme-ascii', minLength: 256, maxLength: 400 })
          .filter((key) => key.trim().length > 255),
      ),
      100,
      async (key) => expectRefusal(await postEvent(body, { 'idempotency-key': key }), [400]),
    );
    const mediaType = fc.oneof(
      fc.constantFrom(
        'text/plain',
        'text/html',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/jsonp',
        'application/json-seq',
        'image/png',
      ),
      fc
        .tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z]{1,10}$/))
        .filter(([type, sub]) => !sub.includes('json') || type !== 'application')
        .map(([type, sub]) => `${type}/${sub}`),
    );
    await run(mediaType, 150, async (contentType) =>
      expectRefusal(
        await send(gateway.url, 'POST', '/api/v1/customer-events', {
          rawBody: JSON.stringify(body),
          headers: { ...auth(), 'content-type': contentType },
        }),
        [400, 415],
      ),
    );
    // Headers of no meaning change nothing: the same valid event is still accepted.
    await run(
      fc.dictionary(
        fc.stringMatching(/^x-fuzz-[a-z0-9-]{1,20}$/),
        fc.string({ unit: 'grapheme-ascii', maxLength: 200 }).map((s) => s.trim()),
        { maxKeys: 8 },
      ),
      60,
      async (extra) => expect((await postEvent(body, extra)).status).toBe(201),
    );
  });

  it('POST /customer-events/batch: a body that is not { events: [1..1000] } is a 400; each item is judged on its own', async () => {
    const badTop = fc.oneof(
      nonObject,
      fc.constant({}),
      nonString.filter((v) => !Array.isArray(v)).map((events) => ({ events })),
      fc.constant({ events: [] }),
      fc
        .tuple(unknownKey(['events']), fc.jsonValue({ maxDepth: 1 }))
        .map(([k, v]) => withKey({ events: [{ customerExternalId: externalId, type: 'a.b' }] }, k, v)),
    );
    await run(badTop, 200, async (json) =>
      expectRefusal(
        await send(gateway.url, 'POST', '/api/v1/customer-events/batch', { json, headers: auth() }),
        [400],
      ),
    );
    const item = fc.oneof(
      validEvent().map((value) => ({ value, valid: true })),
      invalidEvent(ITEM_FIELDS).map((value) => ({ value, valid: false })),
      nonObject.map((value) => ({ value, valid: false })),
    );
    await run(fc.array(item, { minLength: 1, maxLength: 25 }).filter(noReservedKeys), 200, async (items) => {
      const answer = await send(gateway.url, 'POST', '/api/v1/customer-events/batch', {
        json: { events: items.map((i) => i.value) },
        headers: auth(),
      });
      if (answer.status !== 200)
        throw new Error(`batch answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      const { results, accepted, rejected } = answer.body.data;
      expect(results.map((r: { success: boolean }) => r.success)).toEqual(items.map((i) => i.valid));
      expect([accepted, rejected]).toEqual([
        items.filter((i) => i.valid).length,
        items.filter((i) => !i.valid).length,
      ]);
      for (const r of results.filter((x: { success: boolean }) => !x.success))
        expect(r.error.code).toBe('VALIDATION_ERROR');
    });
  });

  it('customers: any externalId in the path round-trips (PUT then GET), or is refused with a 400', async () => {
    let n = 0;
    await run(anyText(100, 1), 150, async (id) => {
      const path = `/api/v1/customers/${encodeURIComponent(id)}`;
      const put = await send(gateway.url, 'PUT', path, {
        json: { email: `fuzz-${Date.now()}-${n++}@example.com`, fullName: 'Fuzz' },
        headers: auth(),
      });
      if (put.status === 400) return expectRefusal(put, [400]);
      // 200: the generator produced an id already created earlier in the run (an update).
      if (put.status !== 201 && put.status !== 200)
        throw new Error(`PUT ${JSON.stringify(id)} answered ${put.status}: ${put.text.slice(0, 300)}`);
      const got = await send(gateway.url, 'GET', path, { headers: auth() });
      expect(got.status).toBe(200);
      expect(got.body.data.externalId).toBe(id);
    });
  });

  it('customers: unknown externalIds are 404 (or 400 when too long) on every method, never 2xx', async () => {
    const call = fc.tuple(
      fc.constantFrom(
        ['GET', ''],
        ['DELETE', ''],
        ['POST', '/mark-as-spam'],
        ['POST', '/unmark-as-spam'],
        ['PATCH', ''],
      ),
      fc.oneof(anyText(60, 1), fc.string({ minLength: 256, maxLength: 300 })),
    );
    await run(call, 300, async ([[method, suffix], id]) => {
      const answer = await send(
        gateway.url,
        method,
        `/api/v1/customers/${encodeURIComponent(`zz${id}`)}${suffix}`,
        {
          headers: auth(),
          json: method === 'PATCH' ? { fullName: 'Nobody' } : undefined,
        },
      );
      expectRefusal(answer, [400, 404]);
    });
  });

  it('customers: PUT and PATCH bodies with one broken field are 400 and change nothing', async () => {
    const base = {
      email: `${externalId}@example.com`,
      fullName: 'Peter Santos',
      shortName: 'Peter',
      emailVerified: false,
    };
    const fields = Object.keys(base);
    const broken = fc.oneof(
      fc.constantFrom('email', 'fullName').map((k) => ({ put: true, body: without(base, k) })),
      fc
        .oneof(
          nonString,
          anyText(40).filter((s) => !s.includes('@')),
          fc.constant(`${'a'.repeat(320)}@example.com`),
        )
        .map((v) => ({ put: false, body: { ...base, email: v } })),
      fc
        .oneof(nonString, fc.constant(''), fc.string({ minLength: 501, maxLength: 520 }))
        .map((v) => ({ put: false, body: { ...base, fullName: v } })),
      fc
        .oneof(
          nonString.filter((v) => v !== null),
          fc.constant(''),
          fc.string({ minLength: 201, maxLength: 220 }),
        )
        .map((v) => ({ put: false, body: { ...base, shortName: v } })),
      nonBoolean.map((v) => ({ put: false, body: { ...base, emailVerified: v } })),
      fc
        .tuple(unknownKey(fields), fc.jsonValue({ maxDepth: 1 }))
        .map(([k, v]) => ({ put: false, body: withKey(base, k, v) })),
      // A JSON null body reads as {} (Nest's pipe): a no-op PATCH, so only PUT is given it.
      nonObject.map((v) => ({ put: v === null, body: v })),
    );
    await run(fc.tuple(broken, fc.boolean()), 300, async ([{ put, body }, usePut]) => {
      const method = put || usePut ? 'PUT' : 'PATCH';
      const answer = await send(gateway.url, method, `/api/v1/customers/${externalId}`, {
        json: body,
        headers: auth(),
      });
      expectRefusal(answer, [400]);
    });
    const after = await send(gateway.url, 'GET', `/api/v1/customers/${externalId}`, { headers: auth() });
    expect(after.body.data).toMatchObject({ fullName: 'Peter Santos', shortName: 'Peter' });
  });

  it('routes: unknown paths and methods are 404s, and malformed request lines and paths never a 5xx', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');
    const segment = pathSegment(
      30,
      ...['..', '%2e%2e', '%2F', 'customer-events', 'customers', 'batch', 'docs', 'health', 'metrics'],
    );
    await run(
      fc.tuple(method, fc.array(segment, { minLength: 1, maxLength: 4 })),
      250,
      async ([m, segments]) => {
        const answer = await send(gateway.url, m, `/api/v1/${segments.join('/')}`, { headers: auth() });
        expectNoServerError(answer);
        if (answer.status < 400)
          expect(['/api/v1/customer-events', '/api/v1/customer-events/batch']).not.toContain(
            `/api/v1/${segments.join('/')}`,
          );
      },
    );
    const rawPiece = fc.constantFrom(
      '%',
      '%z',
      '%zz',
      '%00',
      '%C0%AF',
      '%FF%FE',
      '%E2%82',
      '..',
      '/',
      ';',
      '?',
      '#',
      'a',
      '\u00e9',
      '\u0001',
      ' ',
      '%20',
      '\\',
      '"',
      '<',
      '{',
      '%%',
    );
    await run(fc.array(rawPiece, { minLength: 1, maxLength: 12 }), 250, async (pieces) => {
      const target = `/api/v1/customers/${pieces.join('')}`;
      const raw = Buffer.from(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${apiKey}\r\nConnection: close\r\n\r\n`,
        'latin1',
      );
      const { status, text } = await sendRaw(gateway.port, raw);
      if (status === 0 || status >= 500)
        throw new Error(`raw ${JSON.stringify(target)} answered ${status}: ${text.slice(0, 300)}`);
    });
  });

  it('stays up, and its memory stays flat through all of it', async () => {
    const after = await rssAfterwards('hostile-fuzz-gateway', SEED, gateway, baselineMiB);
    expect(after - baselineMiB).toBeLessThan(100);
  });
});
