import { AppProcess } from '@test/support/app-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { afterwardsHealthy, expectRefusal, rssMiB, send, sendRaw } from '@test/support/hostile-http';
import { createCustomer } from './gateway-helpers';

const MiB = 1024 * 1024;

function nested(levels: number, leaf: string = '1', open = '{"a":', close = '}'): string {
  return open.repeat(levels) + leaf + close.repeat(levels);
}

/**
 * Limits: bodies over 1 MiB, payloads over 32 KiB, 10,000 keys, 10,000 (and 100,000) levels of nesting, huge
 * headers and URLs. Each gets a clear 4xx (413, 400, 431, 414) with the error envelope where the app answers
 * itself, quickly, and the processes stay up with their memory in bounds.
 */
describe('hostile input: limits', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let dispatcher: AppProcess;
  let apiKey: string;
  let externalId: string;
  const before: Record<string, number> = {};
  const auth = () => ({ 'x-api-key': apiKey, 'content-type': 'application/json' });
  const rawEvent = (rawBody: string) =>
    send(gateway.url, 'POST', '/api/v1/customer-events', { rawBody, headers: auth() });

  beforeAll(async () => {
    [gateway, projector, dispatcher, { apiKey }] = await Promise.all([
      AppProcess.start('gateway'),
      AppProcess.start('projector', { DATABASE_POOL_SIZE: '4' }),
      AppProcess.start('webhook-dispatcher', { DATABASE_POOL_SIZE: '4' }),
      createApiKey(),
    ]);
    externalId = (await createCustomer(gateway.url, apiKey, uniqueExternalId())).externalId;
    for (const app of [gateway, projector, dispatcher]) before[app.name] = rssMiB(app);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop(), dispatcher?.stop()]);
  });

  it('bodies over 1 MiB are 413 PAYLOAD_TOO_LARGE, declared or chunked, on every app', async () => {
    // Raw sockets: a server refusing a body early may close before a client library has finished writing it.
    const post = (app: AppProcess, path: string, framing: string, body: string) =>
      sendRaw(
        app.port,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${apiKey}\r\nContent-Type: application/json\r\n` +
          `${framing}Connection: close\r\n\r\n${body}`,
      );
    const big = JSON.stringify({
      customerExternalId: externalId,
      type: 'a.b',
      payload: { x: 'x'.repeat(MiB) },
    });
    const exact = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    const chunk = `${MiB.toString(16)}\r\n${'x'.repeat(MiB)}\r\n`;
    const cases: Array<[AppProcess, string, string, string]> = [
      [gateway, '/api/v1/customer-events', exact(big), big],
      [gateway, '/api/v1/customer-events/batch', exact(big), big],
      [gateway, `/api/v1/customers/${externalId}`, exact(big), big],
      [dispatcher, '/api/v1/webhook-targets', exact(big), big],
      // Declared too large: refused from the Content-Length alone (only 64 KiB of the 5 MiB is sent).
      [gateway, '/api/v1/customer-events', `Content-Length: ${5 * MiB}\r\n`, 'x'.repeat(64 * 1024)],
      // Chunked (no Content-Length): the limit holds while streaming.
      [gateway, '/api/v1/customer-events', 'Transfer-Encoding: chunked\r\n', `${chunk.repeat(3)}0\r\n\r\n`],
      [
        dispatcher,
        '/api/v1/webhook-targets',
        'Transfer-Encoding: chunked\r\n',
        `${chunk.repeat(3)}0\r\n\r\n`,
      ],
    ];
    for (const [app, path, framing, body] of cases) {
      const answer = await post(app, path, framing, body);
      expect({ path, status: answer.status, code: /PAYLOAD_TOO_LARGE/.test(answer.text) }).toEqual({
        path,
        status: 413,
        code: true,
      });
    }
  });

  it('a single event payload over 32 KiB is 413; a batch over 1,000 events is 400', async () => {
    const answer = await send(gateway.url, 'POST', '/api/v1/customer-events', {
      json: { customerExternalId: externalId, type: 'a.b', payload: { x: 'x'.repeat(33 * 1024) } },
      headers: auth(),
    });
    expectRefusal(answer, [413]);
    const events = Array.from({ length: 1001 }, () => ({ customerExternalId: externalId, type: 'a.b' }));
    expectRefusal(
      await send(gateway.url, 'POST', '/api/v1/customer-events/batch', { json: { events }, headers: auth() }),
      [400],
    );
  });

  it('10,000 keys: in a payload (413, over 32 KiB), as unknown fields (400, with a bounded answer), in a batch item', async () => {
    const keys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    expectRefusal(
      await send(gateway.url, 'POST', '/api/v1/customer-events', {
        json: { customerExternalId: externalId, type: 'a.b', payload: keys },
        headers: auth(),
      }),
      [413],
    );
    const unknown = await send(gateway.url, 'POST', '/api/v1/customer-events', {
      json: { customerExternalId: externalId, type: 'a.b', ...keys },
      headers: auth(),
    });
    expectRefusal(unknown, [400]);
    expect(unknown.text.length).toBeLessThan(2 * MiB);
    const target = await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      json: { url: 'https://example.com/x', eventTypes: ['customer.customer_created'], ...keys },
      headers: auth(),
    });
    expectRefusal(target, [400]);
    const batch = await send(gateway.url, 'POST', '/api/v1/customer-events/batch', {
      json: { events: [{ customerExternalId: externalId, type: 'a.b', payload: keys }] },
      headers: auth(),
    });
    expect(batch.status).toBe(200);
    expect(batch.body.data.results[0]).toMatchObject({
      success: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
  });

  it('10,000 and 100,000 levels of nesting, anywhere in a body, are 400 (never a stack overflow)', async () => {
    const bodies = [
      `{"customerExternalId":"${externalId}","type":"a.b","payload":${nested(10_000)}}`,
      `{"customerExternalId":"${externalId}","type":"a.b","extra":${nested(10_000)}}`,
      `{"customerExternalId":"${externalId}","type":"a.b","payload":{"list":${nested(10_000, '1', '[', ']')}}}`,
      nested(10_000, '1', '[', ']'),
      `{"customerExternalId":"${externalId}","type":"a.b","payload":${nested(100_000)}}`,
      nested(200_000, '1', '[', ']'),
    ];
    for (const rawBody of bodies) expectRefusal(await rawEvent(rawBody), [400, 413]);
    const batch = await send(gateway.url, 'POST', '/api/v1/customer-events/batch', {
      rawBody: `{"events":[{"customerExternalId":"${externalId}","type":"a.b","payload":${nested(10_000)}}]}`,
      headers: auth(),
    });
    expect(batch.status === 200 ? batch.body.data.results[0].success : batch.status).toBe(
      batch.status === 200 ? false : 400,
    );
    for (const rawBody of [
      `{"url":"https://example.com","eventTypes":${nested(10_000, '1', '[', ']')}}`,
      `{"url":${nested(10_000)},"eventTypes":["customer.customer_created"]}`,
    ])
      expectRefusal(
        await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', { rawBody, headers: auth() }),
        [400],
      );
    expectRefusal(
      await send(gateway.url, 'PATCH', `/api/v1/customers/${externalId}`, {
        rawBody: `{"fullName":${nested(10_000)}}`,
        headers: auth(),
      }),
      [400],
    );
  });

  it('huge headers and URLs are 431/414/400, answered by the server without reaching the app', async () => {
    for (const app of [gateway, projector, dispatcher]) {
      const hugeHeader = await sendRaw(
        app.port,
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\nConnection: close\r\n\r\n`,
      );
      expect(hugeHeader.status).toBe(431);
      const manyHeaders = Array.from({ length: 5000 }, (_, i) => `X-H${i}: ${i}`).join('\r\n');
      const many = await sendRaw(
        app.port,
        `GET /health/live HTTP/1.1\r\nHost: x\r\n${manyHeaders}\r\nConnection: close\r\n\r\n`,
      );
      expect([200, 431]).toContain(many.status);
      const hugeKey = await sendRaw(
        app.port,
        `GET /metrics HTTP/1.1\r\nHost: x\r\nX-API-Key: ${'k'.repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`,
      );
      expect(hugeKey.status).toBe(431);
      const longUrl = await sendRaw(
        app.port,
        `GET /api/v1/customers/${'u'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect([400, 414, 431]).toContain(longUrl.status);
    }
    // A path parameter over the router's limit (but under the header limit) is a clean 4xx from the app.
    // (Fastify's router refuses this one before any route runs: 414 URI_TOO_LONG in the envelope.)
    for (const [app, path] of [
      [gateway, `/api/v1/customers/${'p'.repeat(4000)}`],
      [projector, `/api/v1/customers/${'p'.repeat(4000)}/timeline`],
      [dispatcher, `/api/v1/webhook-targets/${'p'.repeat(4000)}`],
    ] as const) {
      expect((await send(app.url, 'GET', path, { headers: { 'x-api-key': apiKey } })).status).toBe(414);
    }
    const longQuery = await send(
      projector.url,
      'GET',
      `/api/v1/customers/${externalId}/timeline?types=${'a.'.repeat(3000)}b`,
      { headers: { 'x-api-key': apiKey } },
    );
    expectRefusal(longQuery, [400]);
  });

  it('every app is still up, and its memory back in bounds', async () => {
    const after: Record<string, number> = {};
    for (const app of [gateway, projector, dispatcher]) {
      await afterwardsHealthy(app);
      after[app.name] = rssMiB(app);
    }
    process.stdout.write(
      `hostile-limits: RSS before ${JSON.stringify(before)} MiB, after ${JSON.stringify(after)} MiB\n`,
    );
    for (const app of [gateway, projector, dispatcher])
      expect(after[app.name] - before[app.name]).toBeLessThan(200);
  });
});
