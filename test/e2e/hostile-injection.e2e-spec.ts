import fc from 'fast-check';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { anyText, checkProperty as run, FUZZ_SEED as SEED, queryOf } from '@test/support/hostile-arbitraries';
import { afterwardsHealthy, expectRefusal, requestsSent, send } from '@test/support/hostile-http';

/** Pieces that mean something to SQL, LIKE patterns, JSON paths, MongoDB-style filters, shells and URLs. */
const METACHARACTERS = [
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE customers; --",
  "' UNION SELECT id, secret_hash FROM api_keys --",
  '%',
  '_',
  '\\',
  '$',
  '$.',
  '$..*',
  '@.',
  '[*]',
  '?(@.x)',
  '{"$ne":null}',
  '$where',
  '`',
  '$(id)',
  '|',
  '&',
  '#',
  '?',
  '/',
  '..',
  ',',
  '::text',
  "E'\\x00'",
  '\u2028',
];
const injection = fc
  .array(fc.oneof(fc.constantFrom(...METACHARACTERS), fc.stringMatching(/^[a-z0-9]{1,4}$/)), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''))
  .filter((value) => METACHARACTERS.some((m) => value.includes(m)))
  // "." and ".." are dot-segments: URL clients resolve them away before sending, so no path can carry them.
  .filter((value) => value !== '.' && value !== '..');

/**
 * Injection: SQL, LIKE and JSON-path metacharacters in externalIds, in the `types` filter and in the other
 * query parameters are data, never syntax (stored and matched literally, or refused with a 400); a forged or
 * tampered cursor is a 400, not a 500, and never reads another customer's or workspace's items.
 */
describe('hostile input: injection', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let owner: { apiKey: string };
  let attacker: { apiKey: string };
  let victim: string;
  const gw = (key: string, method: string, path: string, json?: unknown) =>
    send(gateway.url, method, `/api/v1${path}`, { json, headers: { 'x-api-key': key } });
  const timeline = (key: string, externalId: string, query = '') =>
    send(projector.url, 'GET', `/api/v1/customers/${encodeURIComponent(externalId)}/timeline${query}`, {
      headers: { 'x-api-key': key },
    });

  beforeAll(async () => {
    [gateway, projector, owner, attacker] = await Promise.all([
      AppProcess.start('gateway'),
      AppProcess.start('projector', { DATABASE_POOL_SIZE: '4' }),
      createApiKey(),
      createApiKey(),
    ]);
    victim = uniqueExternalId('victim');
    expect(
      (
        await gw(owner.apiKey, 'PUT', `/customers/${victim}`, {
          email: `${victim}@example.com`,
          fullName: 'Victim',
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < 30; i++)
      await gw(owner.apiKey, 'POST', '/customer-events', {
        customerExternalId: victim,
        type: i % 2 ? 'order.placed' : 'order.shipped',
        payload: { i },
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      });
    await eventually(
      async () =>
        expect((await timeline(owner.apiKey, victim, '?limit=200')).body?.data?.items).toHaveLength(31),
      60_000,
      250,
    );
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  it('externalIds with metacharacters are stored and matched literally, and never reach another customer', async () => {
    let n = 0;
    await run(injection, 150, async (externalId) => {
      // Another workspace looking for something that would match everything if it were syntax: nothing.
      expectRefusal(
        await gw(attacker.apiKey, 'GET', `/customers/${encodeURIComponent(externalId)}`),
        [400, 404],
      );
      expectRefusal(await timeline(attacker.apiKey, externalId), [400, 404]);
      // The owner creating a customer with that externalId gets exactly it back, and it matches only itself.
      const put = await gw(owner.apiKey, 'PUT', `/customers/${encodeURIComponent(externalId)}`, {
        email: `inj-${Date.now()}-${n++}@example.com`,
        fullName: externalId.slice(0, 500),
      });
      if (put.status !== 200 && put.status !== 201)
        throw new Error(`PUT answered ${put.status}: ${put.text}`);
      expect(put.body.data.externalId).toBe(externalId);
      const got = await gw(owner.apiKey, 'GET', `/customers/${encodeURIComponent(externalId)}`);
      expect([got.body.data.externalId, got.body.data.id]).toEqual([externalId, put.body.data.id]);
      // Events for it land on its own timeline, not on the victim's.
      const event = await gw(owner.apiKey, 'POST', '/customer-events', {
        customerExternalId: externalId,
        type: 'injection.probe',
      });
      expect(event.body.data.customerId).toBe(put.body.data.id);
    });
    // The victim's timeline is exactly what it was.
    const page = await timeline(owner.apiKey, victim, '?limit=200');
    expect(page.body.data.items).toHaveLength(31);
    // And LIKE wildcards are not wildcards: '%' and '_' alone match no customer of the attacker's workspace.
    for (const wildcard of ['%', '_', '%25', '*'])
      expectRefusal(await gw(attacker.apiKey, 'GET', `/customers/${encodeURIComponent(wildcard)}`), [404]);
  });

  it('the types filter takes event types only: any metacharacter is a 400, valid lists filter exactly', async () => {
    await run(
      fc.array(fc.oneof(injection, anyText(20, 1)), { minLength: 1, maxLength: 4 }),
      250,
      async (types) => {
        // What the server sees is the joined list, split on commas: a generated item may hold commas itself.
        const list = types.join(',');
        const valid = list.split(',').every((t) => /^[a-z0-9_.]{1,100}$/.test(t));
        const answer = await timeline(owner.apiKey, victim, queryOf([['types', list]]));
        if (valid) expect(answer.status).toBe(200);
        else expectRefusal(answer, [400]);
      },
    );
    const shipped = await timeline(owner.apiKey, victim, '?types=order.shipped&limit=200');
    expect(shipped.body.data.items).toHaveLength(15);
    expect(new Set(shipped.body.data.items.map((i: { type: string }) => i.type))).toEqual(
      new Set(['order.shipped']),
    );
  });

  it('from, to and limit with metacharacters are 400s', async () => {
    const key = fc.constantFrom('from', 'to', 'limit');
    await run(fc.tuple(key, injection), 150, async ([k, v]) =>
      expectRefusal(await timeline(owner.apiKey, victim, queryOf([[k, v]])), [400]),
    );
  });

  it('a forged, tampered or replayed cursor is a 400, never a 500 and never someone else\u2019s page', async () => {
    const first = await timeline(owner.apiKey, victim, '?limit=5');
    const cursor: string = first.body.data.nextCursor;
    expect(cursor).toBeTruthy();
    // The genuine cursor works.
    expect((await timeline(owner.apiKey, victim, `?limit=5&cursor=${cursor}`)).status).toBe(200);

    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const forge = (tuple: unknown) => Buffer.from(JSON.stringify(tuple)).toString('base64url');
    const tampered = fc.oneof(
      // One character changed, dropped or added.
      fc
        .tuple(fc.nat(cursor.length - 1), fc.constantFrom(...'AZaz09-_'.split('')))
        .map(([i, c]) => cursor.slice(0, i) + c + cursor.slice(i + 1))
        .filter((c) => c !== cursor),
      fc.nat(cursor.length - 1).map((i) => cursor.slice(0, i) + cursor.slice(i + 1)),
      fc.constantFrom(...'AQw-'.split('')).map((c) => cursor + c),
      // The same tuple with another position or check (as someone paging elsewhere would forge it).
      fc.constantFrom(
        forge([decoded[0], '1970-01-01T00:00:00.000Z', decoded[2], decoded[3]]),
        forge([decoded[0], decoded[1], 'cev_00000000000000000000000000', decoded[3]]),
        forge([decoded[0], decoded[1], decoded[2], 'AAAAAAAAAAAAAAAA']),
        forge([2, decoded[1], decoded[2], decoded[3]]),
        forge([...decoded, 'extra']),
        forge({ occurredAt: decoded[1], id: decoded[2] }),
        forge([decoded[0], "2026-01-01T00:00:00.000Z' OR '1'='1", decoded[2], decoded[3]]),
        forge([decoded[0], decoded[1], "cev_' OR 1=1 --", decoded[3]]),
        forge(null),
        forge('x'.repeat(300)),
      ),
      // Anything at all.
      anyText(60, 1),
      injection,
    );
    await run(tampered, 300, async (forged) =>
      expectRefusal(
        await timeline(
          owner.apiKey,
          victim,
          queryOf([
            ['limit', '5'],
            ['cursor', forged],
          ]),
        ),
        [400],
      ),
    );
    // A genuine cursor replayed with other filters, or for another customer, or by another workspace.
    expectRefusal(
      await timeline(owner.apiKey, victim, `?limit=5&cursor=${cursor}&types=order.placed`),
      [400],
    );
    const other = uniqueExternalId();
    await gw(owner.apiKey, 'PUT', `/customers/${other}`, {
      email: `${other}@example.com`,
      fullName: 'Other',
    });
    await eventually(async () => expect((await timeline(owner.apiKey, other)).status).toBe(200), 30_000);
    expectRefusal(await timeline(owner.apiKey, other, `?limit=5&cursor=${cursor}`), [400]);
    expectRefusal(await timeline(attacker.apiKey, victim, `?limit=5&cursor=${cursor}`), [404]);
  });

  it('JSON-path and operator syntax inside a payload is data: stored and read back exactly', async () => {
    const payload = {
      $where: 'this.a == 1',
      'a.b': { '$..*': ['@.x', '?(@.price < 10)'] },
      '{"$ne":null}': "' OR '1'='1",
      '\\': '\\u0000 is not NUL here',
      nested: { $gt: '', "'; DROP TABLE timeline_items; --": true },
    };
    const posted = await gw(owner.apiKey, 'POST', '/customer-events', {
      customerExternalId: victim,
      type: 'injection.payload',
      payload,
    });
    expect(posted.status).toBe(201);
    expect(posted.body.data.payload).toEqual(payload);
    await eventually(async () => {
      const page = await timeline(owner.apiKey, victim, '?types=injection.payload');
      expect(page.body.data.items.map((i: { payload: unknown }) => i.payload)).toEqual([payload]);
    }, 30_000);
  });

  it('both apps are still up', async () => {
    await afterwardsHealthy(gateway);
    await afterwardsHealthy(projector);
    process.stdout.write(`hostile-injection (seed ${SEED}): ${requestsSent()} requests\n`);
  });
});
