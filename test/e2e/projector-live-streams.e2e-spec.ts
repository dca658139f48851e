import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { createApiKey, revokeApiKey } from '@test/support/fixtures';
import { CustomerScript, startProjector, TopicWriter } from './projector-fixtures';
import { SseClient } from './ui-support';

const STREAMS_PER_KEY = 2;

describe('projector: live timeline streams are bounded per key, in time, and by the key that opened them', () => {
  let projector: AppProcess;
  let shortLived: AppProcess;
  const writer = new TopicWriter();
  const streams: SseClient[] = [];

  beforeAll(async () => {
    [projector, shortLived] = await Promise.all([
      startProjector({ LIVE_STREAMS_PER_KEY: String(STREAMS_PER_KEY) }),
      startProjector({ LIVE_STREAM_MAX_LIFETIME_MS: '2000' }),
      writer.connect(),
    ]);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await writer.disconnect();
    expect(await projector?.stop()).toBe(0);
    expect(await shortLived?.stop()).toBe(0);
  });

  /** A fresh key and a customer of its workspace whose creation is projected. */
  async function keyWithCustomer(app = projector) {
    const key = await createApiKey();
    const customer = new CustomerScript(key.workspaceId);
    await writer.changes(customer.created());
    await eventually(async () => {
      const page = await request(app.url, 'GET', `/api/v1/customers/${customer.externalId}/timeline`, {
        apiKey: key.apiKey,
      });
      expect(page.status).toBe(200);
    });
    return { ...key, customer };
  }

  async function openStream(
    app: AppProcess,
    apiKey: string,
    externalId: string,
    headers: Record<string, string> = {},
  ): Promise<SseClient & { body?: any }> {
    const stream = await SseClient.open(`${app.url}/api/v1/customers/${externalId}/timeline/stream`, {
      'X-API-Key': apiKey,
      ...headers,
    });
    streams.push(stream);
    return stream;
  }

  it('answers 429 RATE_LIMITED with Retry-After to a key past its stream quota, while another workspace still opens one', async () => {
    const a = await keyWithCustomer();
    const b = await keyWithCustomer();
    const held: SseClient[] = [];
    for (let i = 0; i < STREAMS_PER_KEY; i++) {
      const stream = await openStream(projector, a.apiKey, a.customer.externalId);
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'ready');
      held.push(stream);
    }

    const refused = await openStream(projector, a.apiKey, a.customer.externalId);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(refused.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });

    const other = await openStream(projector, b.apiKey, b.customer.externalId);
    expect(other.status).toBe(200);
    await other.waitFor((e) => e.event === 'ready');

    // A slot comes back when one of the key's streams closes.
    held[0].close();
    await eventually(async () => {
      const again = await openStream(projector, a.apiKey, a.customer.externalId);
      if (again.status === 200) again.close();
      expect(again.status).toBe(200);
    });
  });

  it('ends the open streams of a revoked key within seconds, and only those', async () => {
    const revoked = await keyWithCustomer();
    const kept = await keyWithCustomer();
    const doomed = await openStream(projector, revoked.apiKey, revoked.customer.externalId);
    const survivor = await openStream(projector, kept.apiKey, kept.customer.externalId);
    await Promise.all([doomed, survivor].map((s) => s.waitFor((e) => e.event === 'ready')));

    await revokeApiKey(revoked.apiKeyId);
    await eventually(() => expect(doomed.hasEnded).toBe(true), 5000);
    const reopened = await openStream(projector, revoked.apiKey, revoked.customer.externalId);
    expect(reopened.status).toBe(401);

    const item = kept.customer.event('order.placed');
    await writer.events(item);
    await survivor.waitFor((e) => e.event === 'item' && e.data.id === item.id);
    expect(survivor.hasEnded).toBe(false);
  });

  it('ends a stream at its maximum lifetime; resuming with Last-Event-ID loses nothing and repeats nothing', async () => {
    const { apiKey, customer } = await keyWithCustomer(shortLived);
    const received: string[] = [];
    let lastEventId: string | undefined;
    let connections = 0;
    const written: string[] = [];
    let writing = true;
    let writes: Promise<void> | undefined;

    // Each stream is ended by the server (2 s); the client reconnects as EventSource does.
    while (connections < 3) {
      const stream = await openStream(
        shortLived,
        apiKey,
        customer.externalId,
        lastEventId ? { 'Last-Event-ID': lastEventId } : {},
      );
      expect(stream.status).toBe(200);
      connections++;
      await stream.waitFor((e) => e.event === 'ready');
      writes ??= (async () => {
        while (writing) {
          const event = customer.event('order.placed');
          await writer.events(event);
          written.push(event.id);
          await sleep(100);
        }
      })();
      await eventually(() => expect(stream.hasEnded).toBe(true), 10000);
      received.push(...stream.items().map((item: { id: string }) => item.id));
      lastEventId = stream.events.filter((e) => e.id !== undefined).pop()?.id ?? lastEventId;
    }
    writing = false;
    await writes;

    const tail = await openStream(shortLived, apiKey, customer.externalId, { 'Last-Event-ID': lastEventId! });
    await eventually(() => {
      const ids = [...received, ...tail.items().map((item: { id: string }) => item.id)];
      expect(ids.length).toBeGreaterThanOrEqual(written.length);
      return ids;
    });
    const all = [...received, ...tail.items().map((item: { id: string }) => item.id)];
    expect(written.length).toBeGreaterThan(10);
    expect(all.sort()).toEqual([...written].sort());
  });
});
