import { createHash } from 'node:crypto';
import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey } from '@test/support/fixtures';
import {
  CustomerScript,
  eventsTopic,
  changesTopic,
  pageThrough,
  projectorGroup,
  projectorWithKey,
  TopicWriter,
  withDatabase,
} from './projector-fixtures';

const LAG = 'x-projection-lag-ms';

describe('projector: the timeline API', () => {
  let projector: AppProcess;
  let apiKey: string;
  let workspaceId: string;
  const writer = new TopicWriter();

  beforeAll(async () => {
    ({ projector, apiKey, workspaceId } = await projectorWithKey(writer.connect()));
  });

  afterAll(async () => {
    await writer.disconnect();
    expect(await projector?.stop()).toBe(0);
  });

  const timeline = (externalId: string, query = '', key = apiKey) =>
    request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline${query}`, { apiKey: key });

  /** A customer whose creation is projected, so its timeline answers 200. */
  async function projectedCustomer(): Promise<CustomerScript> {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created());
    await eventually(async () => expect((await timeline(customer.externalId)).status).toBe(200));
    return customer;
  }

  it('lists items newest first by occurredAt, antidated events at their place and ties broken by id', async () => {
    const customer = await projectedCustomer();
    const at = (iso: string) => ({ occurredAt: iso, createdAt: new Date().toISOString() });
    const recent = customer.event('order.placed', at('2026-03-01T10:00:00.000Z'));
    const tieA = customer.event('order.shipped', at('2026-02-01T10:00:00.000Z'));
    const tieB = customer.event('order.shipped', at('2026-02-01T10:00:00.000Z'));
    const antidated = customer.event('order.imported', at('2019-06-01T00:00:00.000Z'));
    await writer.events(recent, tieA, tieB);
    await writer.events(antidated);

    const page = await eventually(async () => {
      const response = await timeline(
        customer.externalId,
        '?types=order.placed,order.shipped,order.imported',
      );
      expect(response.body.data.items).toHaveLength(4);
      return response.body.data;
    });
    const [laterTie, earlierTie] = [tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([
      recent.id,
      laterTie.id,
      earlierTie.id,
      antidated.id,
    ]);
    expect(page.items[0]).toEqual({
      id: recent.id,
      type: 'order.placed',
      title: null,
      payload: recent.payload,
      occurredAt: recent.occurredAt,
      createdAt: recent.createdAt,
    });
    expect(page).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it('shows customer changes as items naming the changed fields', async () => {
    const customer = await projectedCustomer();
    await writer.changes(customer.renamed('Peter S.'));
    const updated = await eventually(async () => {
      const { body } = await timeline(customer.externalId, '?types=customer.customer_updated');
      expect(body.data.items).toHaveLength(1);
      return body.data.items[0];
    });
    expect(updated.payload).toMatchObject({
      changedFields: ['fullName'],
      changes: { fullName: { from: 'Peter Santos', to: 'Peter S.' } },
    });
  });

  it('filters by types, from (inclusive) and to (exclusive)', async () => {
    const customer = await projectedCustomer();
    const on = (type: string, occurredAt: string) => customer.event(type, { occurredAt });
    const events = [
      on('order.placed', '2026-01-01T00:00:00.000Z'),
      on('order.placed', '2026-01-02T00:00:00.000Z'),
      on('order.shipped', '2026-01-02T12:00:00.000Z'),
      on('order.placed', '2026-01-03T00:00:00.000Z'),
    ];
    await writer.events(...events);
    await eventually(async () =>
      expect(
        (await timeline(customer.externalId, '?types=order.placed,order.shipped')).body.data.items,
      ).toHaveLength(4),
    );

    const ids = async (query: string) =>
      (await timeline(customer.externalId, query)).body.data.items.map((i: { id: string }) => i.id);
    expect(await ids('?types=order.placed&from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z')).toEqual([
      events[1].id,
    ]);
    expect(await ids('?from=2026-01-02T01:00:00%2B01:00&to=2026-01-03T00:00:00.001Z')).toEqual([
      events[3].id,
      events[2].id,
      events[1].id,
    ]);
    expect(await ids('?types=order.shipped')).toEqual([events[2].id]);
  });

  it("shows each event's title, and null for messages without one (sent before titles existed)", async () => {
    const customer = await projectedCustomer();
    const titled = customer.event('order.placed', { title: 'Order ord_9001 placed: 149.90 USD' });
    const { title: _title, ...older } = customer.event('order.shipped');
    await writer.events(titled);
    await writer.raw(eventsTopic(), [{ key: customer.customerId, value: JSON.stringify(older) }]);

    const items = await eventually(async () => {
      const { body } = await timeline(customer.externalId, '?types=order.placed,order.shipped');
      expect(body.data.items).toHaveLength(2);
      return body.data.items as Array<{ id: string; title: string | null }>;
    });
    expect(Object.fromEntries(items.map((i) => [i.id, i.title]))).toEqual({
      [titled.id]: 'Order ord_9001 placed: 149.90 USD',
      [older.id]: null,
    });
    const { body } = await timeline(customer.externalId, '?types=customer.customer_created');
    expect(body.data.items[0].title).toBeNull();
  });

  it('counts the items of each type, most frequent first; 404 for an unknown customer', async () => {
    const customer = await projectedCustomer();
    await writer.events(
      customer.event('page.viewed'),
      customer.event('page.viewed'),
      customer.event('page.viewed'),
      customer.event('order.placed'),
      customer.event('order.placed'),
    );
    const types = (externalId: string, key = apiKey) =>
      request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline/types`, { apiKey: key });

    await eventually(async () =>
      expect((await types(customer.externalId)).body.data).toEqual({
        items: [
          { type: 'page.viewed', count: 3 },
          { type: 'order.placed', count: 2 },
          { type: 'customer.customer_created', count: 1 },
        ],
      }),
    );
    const unknown = await types('user_nobody_here');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
    const { apiKey: otherKey } = await createApiKey();
    expect((await types(customer.externalId, otherKey)).status).toBe(404);
  });

  it('leaves out excludeTypes, and pages on only with the exclusion the cursor was issued for', async () => {
    const customer = await projectedCustomer();
    const kept = [
      customer.event('order.placed'),
      customer.event('order.placed'),
      customer.event('order.placed'),
    ];
    await writer.events(customer.event('page.viewed'), ...kept, customer.event('page.viewed'));
    const page = (query: string) => timeline(customer.externalId, query);
    await eventually(async () => expect((await page('')).body.data.items).toHaveLength(6));

    const ids = await pageThrough((cursor) =>
      page(`?limit=2&excludeTypes=page.viewed,customer.customer_created${cursor ? `&cursor=${cursor}` : ''}`),
    );
    expect(ids.sort()).toEqual(kept.map((e) => e.id).sort());
    const both = await page('?types=order.placed,page.viewed&excludeTypes=page.viewed');
    expect(both.body.data.items.map((i: { type: string }) => i.type)).toEqual([
      'order.placed',
      'order.placed',
      'order.placed',
    ]);

    const first = await page('?limit=1&excludeTypes=page.viewed');
    const cursor: string = first.body.data.nextCursor;
    expect((await page(`?limit=1&excludeTypes=page.viewed&cursor=${cursor}`)).status).toBe(200);
    for (const other of ['', '&excludeTypes=order.placed']) {
      const refused = await page(`?limit=1${other}&cursor=${cursor}`);
      expect([refused.status, refused.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });

  it('pages through 1,000 items with an opaque cursor, each exactly once, while new events arrive', async () => {
    const customer = await projectedCustomer();
    const base = Date.parse('2025-06-01T00:00:00.000Z');
    // Items come in pairs sharing an occurredAt, one minute apart: ties must page by id.
    const original = Array.from({ length: 1000 }, (_, i) =>
      customer.event('order.placed', {
        occurredAt: new Date(base + Math.floor(i / 2) * 60_000).toISOString(),
      }),
    );
    for (let i = 0; i < original.length; i += 250) await writer.events(...original.slice(i, i + 250));
    await eventually(
      async () => expect(await pageThrough((c) => page(c, 200))).toHaveLength(1001),
      60000,
      500,
    );

    let arriving = true;
    const arrivals = (async () => {
      // New events land before, inside and after the range being paged.
      for (let n = 0; arriving; n++) {
        const offsets = [-86_400_000, 250 * 60_000 + 30_000, 10 * 86_400_000];
        await writer.events(
          customer.event('order.late', { occurredAt: new Date(base + offsets[n % 3]).toISOString() }),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    let seen: string[];
    try {
      seen = await pageThrough((c) => page(c, 37));
    } finally {
      arriving = false;
      await arrivals;
    }
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    for (const event of original) expect(counts.get(event.id)).toBe(1);

    function page(cursor: string | undefined, limit: number) {
      return timeline(customer.externalId, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['types=Order%20Placed', 'types'],
    ['excludeTypes=Page%20Viewed', 'excludeTypes'],
    ['excludeTypes=', 'excludeTypes'],
    ['from=2026-02-30T00:00:00Z', 'from'],
    ['to=yesterday', 'to'],
    ['from=0000-01-01T00:00:00Z', 'from'],
    ['to=9999-12-31T23:59:59-01:00', 'to'],
    ['from=0001-01-01T00:30:00%2B01:00', 'from'],
    ['offset=10', 'offset'],
  ])('refuses %s with 400 VALIDATION_ERROR naming the parameter', async (query, field) => {
    const customer = await projectedCustomer();
    const response = await timeline(customer.externalId, `?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a tampered, forged or foreign cursor with 400 VALIDATION_ERROR, never a 500', async () => {
    const customer = await projectedCustomer();
    await writer.events(customer.event(), customer.event(), customer.event());
    const first = await eventually(async () => {
      const response = await timeline(customer.externalId, '?limit=1');
      expect(response.body.data.hasMore).toBe(true);
      return response.body.data;
    });
    const cursor: string = first.nextCursor;
    const tampered = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    const forged = Buffer.from(
      JSON.stringify(['2026-01-01T00:00:00.000Z', 'cev_01KAKR7V3M6Y9Q8T2W4X5Z6A7B']),
    ).toString('base64url');
    for (const query of [
      `?cursor=${tampered}`,
      `?cursor=${forged}`,
      '?cursor=%00%01',
      `?cursor=${'A'.repeat(500)}`,
      `?cursor=${cursor}&types=order.placed`,
    ]) {
      const response = await timeline(customer.externalId, query);
      expect({ query, status: response.status, code: response.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
    }
    expect((await timeline(customer.externalId, `?limit=1&cursor=${cursor}`)).status).toBe(200);
  });

  it('accepts bounds from year 0001 to 9999, and reads years below 100 as written (not 19xx)', async () => {
    const customer = await projectedCustomer();
    const in1950 = customer.event('order.imported', { occurredAt: '1950-06-01T00:00:00.000Z' });
    const recent = customer.event('order.placed');
    await writer.events(in1950, recent);
    await eventually(async () =>
      expect((await timeline(customer.externalId)).body.data.items).toHaveLength(3),
    );

    const ids = async (query: string) => {
      const response = await timeline(customer.externalId, `${query}&types=order.imported,order.placed`);
      expect(response.status).toBe(200);
      return response.body.data.items.map((i: { id: string }) => i.id);
    };
    expect(await ids('?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z')).toEqual([
      recent.id,
      in1950.id,
    ]);
    expect(await ids('?from=9999-12-31T23:59:59%2B01:00')).toEqual([]);
    expect(await ids('?from=0050-01-01T00:00:00Z&to=0051-01-01T00:00:00Z')).toEqual([]);
    expect(await ids('?from=1950-01-01T00:00:00Z&to=1951-01-01T00:00:00Z')).toEqual([in1950.id]);
  });

  it("refuses a cursor forged with a recomputed checksum: cursors are signed with the server's secret", async () => {
    const customer = await projectedCustomer();
    const events = [customer.event(), customer.event(), customer.event()];
    await writer.events(...events);
    await eventually(async () =>
      expect((await timeline(customer.externalId)).body.data.items).toHaveLength(4),
    );
    // Anyone could compute the check of the former cursors: it hashed the position and the query, nothing secret.
    const newest = [...events].sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    const check = createHash('sha256')
      .update(JSON.stringify([1, newest.occurredAt, newest.id, customer.externalId, null, null, null]))
      .digest('base64url')
      .slice(0, 16);
    const forged = Buffer.from(JSON.stringify([1, newest.occurredAt, newest.id, check])).toString(
      'base64url',
    );

    const response = await timeline(customer.externalId, `?limit=1&cursor=${forged}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'cursor', message: expect.any(String) }],
    });
  });

  it('bounds a page by bytes as well as items: a smaller page with hasMore and a cursor that pages on', async () => {
    const customer = await projectedCustomer();
    // 48 items of ~30 KiB: about 1.4 MB, more than the default page budget of 1 MiB.
    const big = Array.from({ length: 48 }, (_, i) =>
      customer.event('file.attached', { payload: { n: i, content: 'x'.repeat(30 * 1024) } }),
    );
    for (let i = 0; i < big.length; i += 12) await writer.events(...big.slice(i, i + 12));
    await eventually(
      async () => expect(await pageThrough((c) => page(c))).toHaveLength(big.length + 1),
      30000,
      500,
    );

    const first = await page();
    expect(first.status).toBe(200);
    expect(first.body.data.items.length).toBeGreaterThan(0);
    expect(first.body.data.items.length).toBeLessThan(big.length);
    expect(Buffer.byteLength(JSON.stringify(first.body.data.items))).toBeLessThanOrEqual(1024 * 1024);
    expect(first.body.data).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    const seen = await pageThrough((c) => page(c));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(big.map((e) => e.id)));

    function page(cursor?: string) {
      return timeline(customer.externalId, `?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    }
  });

  it('needs an API key, and scopes customers to its workspace', async () => {
    const customer = await projectedCustomer();
    const other = await createApiKey();
    expect((await timeline(customer.externalId, '', '')).status).toBe(401);
    expect((await timeline(customer.externalId, '', 'sk_unknown')).body.error.code).toBe('UNAUTHORIZED');
    const foreign = await timeline(customer.externalId, '', other.apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await timeline('user_never_seen')).body.error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('says how far behind the projection is on every response, errors included', async () => {
    const customer = await projectedCustomer();
    const responses = [
      await timeline(customer.externalId),
      await timeline('user_never_seen'),
      await timeline(customer.externalId, '?limit=0'),
      await timeline(customer.externalId, '', 'sk_unknown'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 404, 400, 401]);
    for (const response of responses) expect(response.headers.get(LAG)).toMatch(/^\d+$/);
    await eventually(
      async () => expect((await timeline(customer.externalId)).headers.get(LAG)).toBe('0'),
      30000,
      250,
    );
  });

  it('reports a growing lag while the projection cannot write, and 0 again once it caught up', async () => {
    const customer = await projectedCustomer();
    await withDatabase(async (db) => {
      await db.query('BEGIN');
      await db.query('LOCK TABLE timeline_items IN EXCLUSIVE MODE');
      try {
        await writer.events(customer.event());
        await eventually(
          async () =>
            expect(Number((await timeline(customer.externalId)).headers.get(LAG))).toBeGreaterThan(1500),
          30000,
          250,
        );
      } finally {
        await db.query('ROLLBACK');
      }
    });
    await eventually(
      async () => expect((await timeline(customer.externalId)).headers.get(LAG)).toBe('0'),
      30000,
      250,
    );
  });

  it('exposes consumer lag for every partition, items projected, batch sizes and durations on /metrics', async () => {
    const customer = await projectedCustomer();
    await writer.events(customer.event());
    const metrics: string = await eventually(
      async () => {
        const text = (await request(projector.url, 'GET', '/metrics')).body as string;
        for (const topic of [eventsTopic(), changesTopic()]) {
          for (const partition of ['0', '1', '2']) {
            const line = text
              .split('\n')
              .find(
                (l) =>
                  l.startsWith('consumer_lag_messages{') &&
                  l.includes(`group="${projectorGroup()}"`) &&
                  l.includes(`topic="${topic}"`) &&
                  l.includes(`partition="${partition}"`),
              );
            expect(line).toMatch(/ 0$/);
          }
        }
        return text;
      },
      30000,
      500,
    );
    expect(metrics).toMatch(
      /^projector_events_projected_total\{source="customer-events",service="projector"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^projector_lag_seconds\{/m);
    expect(metrics).toMatch(/^consumer_batch_messages_bucket\{/m);
    expect(metrics).toMatch(/^consumer_batch_duration_seconds_bucket\{/m);
  });
});
