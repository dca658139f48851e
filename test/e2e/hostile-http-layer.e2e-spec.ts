import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { sleep } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { expectRefusal, send, sendRaw } from '@test/support/hostile-http';
import { asRawAnswer } from '@test/support/hostile-probes';
import { trickle } from '@test/support/slow-request';
import { SseClient, timelineHolds } from './ui-support';

const REQUEST_TIMEOUT_MS = 2000;
const HEADERS_TIMEOUT_MS = 1000;
const TIMEOUTS = {
  HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
};

function nested(levels: number, open: string, close: string): string {
  return open.repeat(levels) + '1' + close.repeat(levels);
}

/**
 * The HTTP layer every app shares, probed where Nest's router never runs: Fastify's router and body parser, Node's
 * HTTP parser and its timeouts. Every refusal is the envelope with the right status.
 */
describe('hostile input: the HTTP layer of every app', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let dispatcher: AppProcess;
  let apps: AppProcess[];
  let apiKey: string;
  /** A POST route of each app that takes a JSON body. */
  const postPath: Record<string, string> = {};

  beforeAll(async () => {
    [gateway, projector, dispatcher, { apiKey }] = await Promise.all([
      AppProcess.start('gateway', TIMEOUTS),
      AppProcess.start('projector', { ...TIMEOUTS, DATABASE_POOL_SIZE: '4' }),
      AppProcess.start('webhook-dispatcher', { ...TIMEOUTS, DATABASE_POOL_SIZE: '4' }),
      createApiKey(),
    ]);
    apps = [gateway, projector, dispatcher];
    postPath[gateway.name] = '/api/v1/customer-events';
    postPath[projector.name] = '/api/v1/customers/x/timeline';
    postPath[dispatcher.name] = '/api/v1/webhook-targets';
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop(), dispatcher?.stop()]);
  });

  const itemPath = (app: AppProcess, id: string) =>
    app === gateway
      ? `/api/v1/customers/${id}`
      : app === projector
        ? `/api/v1/customers/${id}/timeline`
        : `/api/v1/webhook-targets/${id}`;

  it("answers Fastify's router errors (bad percent-escape, over-long parameter, no route) in the envelope", async () => {
    for (const app of apps) {
      const badUrl = await send(app.url, 'GET', itemPath(app, '%E0%A4%A'), {
        headers: { 'x-api-key': apiKey },
      });
      expectRefusal(badUrl, [400]);
      expect(badUrl.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'url' }] });

      const longParam = await send(app.url, 'GET', itemPath(app, 'p'.repeat(4000)), {
        headers: { 'x-api-key': apiKey },
      });
      expectRefusal(longParam, [414]);
      expect(longParam.body.error.code).toBe('URI_TOO_LONG');

      for (const method of ['GET', 'POST', 'DELETE']) {
        const json = method === 'GET' ? undefined : {};
        const noRoute = await send(app.url, method, '/api/v1/no-such-route', { json });
        expectRefusal(noRoute, [404]);
        expect(noRoute.body.error.code).toBe('NOT_FOUND');
        // Under a catch-all route, the escape is decoded (and refused) before the route is known not to exist.
        expectRefusal(await send(app.url, method, '/api/v1/no-such-route/%E0%A4%A', { json }), [400, 404]);
      }
    }
  });

  it("answers Node's HTTP parser errors (malformed request, bad Content-Length, huge headers) in the envelope", async () => {
    for (const app of apps) {
      const raw = (text: string) => sendRaw(app.port, text).then(asRawAnswer);
      const cases: Array<[string, number, string]> = [
        ['GARBAGE\r\n\r\n', 400, 'VALIDATION_ERROR'],
        [
          `POST ${postPath[app.name]} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}`,
          400,
          'VALIDATION_ERROR',
        ],
        [
          `POST ${postPath[app.name]} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
          400,
          'VALIDATION_ERROR',
        ],
        [
          `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`,
          431,
          'HEADERS_TOO_LARGE',
        ],
        [`GET /health/live\x01 HTTP/1.1\r\nHost: x\r\n\r\n`, 400, 'VALIDATION_ERROR'],
      ];
      for (const [text, status, code] of cases) {
        const answer = await raw(text);
        expectRefusal(answer, [status]);
        expect({ text: text.slice(0, 80), code: answer.body.error.code }).toEqual({
          text: text.slice(0, 80),
          code,
        });
      }
    }
  });

  it('answers a body over 1 MiB with 413 once it was sent, and keeps the connection for the next request', async () => {
    const body = JSON.stringify({
      customerExternalId: 'x',
      type: 'a.b',
      payload: { data: 'x'.repeat(2 << 20) },
    });
    for (const app of apps) {
      const oversized =
        `POST ${postPath[app.name]} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const next = 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
      const answers = await new Promise<string>((resolve) => {
        const socket = connect(app.port, '127.0.0.1');
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if ((text.match(/HTTP\/1\.1 /g) ?? []).length >= 2 && /\r\n\r\n[^]*\r\n\r\n[^]*}$/.test(text))
            socket.end();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(text));
        socket.setTimeout(10_000, () => socket.destroy());
        socket.write(oversized + next);
      });
      const statuses = [...answers.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      expect({ app: app.name, statuses }).toEqual({ app: app.name, statuses: [413, 200] });
      expect(answers).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
  });

  it('refuses a body sent with a Content-Encoding other than identity: 415, nothing stored', async () => {
    const externalId = uniqueExternalId();
    const customer = { email: `${externalId}@example.com`, fullName: 'Peter Santos' };
    const target = { url: 'http://127.0.0.1:9/x', eventTypes: ['customer.customer_created'] };
    const attempts: Array<[AppProcess, string, string, unknown]> = [
      [gateway, 'PUT', `/api/v1/customers/${externalId}`, customer],
      [gateway, 'POST', '/api/v1/customer-events', { customerExternalId: externalId, type: 'a.b' }],
      [
        gateway,
        'POST',
        '/api/v1/customer-events/batch',
        { events: [{ customerExternalId: externalId, type: 'a.b' }] },
      ],
      [dispatcher, 'POST', '/api/v1/webhook-targets', target],
      [projector, 'POST', '/api/v1/customers/x/timeline', {}],
    ];
    const targetsBefore = await request(dispatcher.url, 'GET', '/api/v1/webhook-targets', { apiKey });
    for (const [app, method, path, body] of attempts) {
      for (const encoding of ['gzip', 'deflate', 'br', 'GZIP', 'identity, gzip', 'x-unknown']) {
        const answer = await send(app.url, method, path, {
          rawBody: gzipSync(JSON.stringify(body)),
          headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'content-encoding': encoding },
        });
        expectRefusal(answer, [415]);
        expect(answer.body.error).toMatchObject({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          details: [{ field: 'Content-Encoding' }],
        });
      }
    }
    expect((await request(gateway.url, 'GET', `/api/v1/customers/${externalId}`, { apiKey })).status).toBe(
      404,
    );
    const targetsAfter = await request(dispatcher.url, 'GET', '/api/v1/webhook-targets', { apiKey });
    expect(targetsAfter.body.data).toEqual(targetsBefore.body.data);

    // identity is no coding at all: accepted as usual.
    const identity = await send(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      json: customer,
      headers: { 'x-api-key': apiKey, 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(201);
  });

  it('refuses a 1 MiB body nested 500,000 levels while parsing (before authentication): 400 naming the depth', async () => {
    const bodies = [
      nested(500_000, '[', ']'),
      nested(170_000, '{"a":', '}'),
      `{"customerExternalId":"x","type":"a.b","payload":${nested(65, '{"a":', '}')}}`,
    ];
    for (const app of apps) {
      for (const rawBody of bodies) {
        for (const headers of [
          { 'x-api-key': apiKey, 'content-type': 'application/json' } as Record<string, string>,
          { 'content-type': 'application/json; charset=utf-8' },
        ]) {
          const answer = await send(app.url, 'POST', postPath[app.name], { rawBody, headers });
          expectRefusal(answer, [400]);
          expect(answer.body.error).toMatchObject({
            code: 'VALIDATION_ERROR',
            details: [{ field: 'body', message: 'nests deeper than 64 levels' }],
          });
        }
      }
      // Three deep bodies in flight at once: the app still answers its liveness probe.
      const inFlight = Array.from({ length: 3 }, () =>
        send(app.url, 'POST', postPath[app.name], {
          rawBody: bodies[0],
          headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        }),
      );
      const live = await fetch(`${app.url}/health/live`);
      expect(live.status).toBe(200);
      for (const answer of await Promise.all(inFlight)) expectRefusal(answer, [400]);
    }
    // 64 levels is allowed by the parser (the payload's own limit of 32 then names the field).
    const atLimit = await send(gateway.url, 'POST', '/api/v1/customer-events', {
      rawBody: `{"customerExternalId":"x","type":"a.b","payload":${nested(63, '{"a":', '}')}}`,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    });
    expectRefusal(atLimit, [400]);
    expect(atLimit.body.error.details[0].field).toMatch(/^payload/);
  });

  it('closes a slow-loris socket (headers or body trickled a byte at a time) with 408 in the envelope', async () => {
    for (const app of apps) {
      const slowBody = await trickle(
        app.port,
        `POST ${postPath[app.name]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
        ' '.repeat(1000),
        200,
      );
      expectRefusal(asRawAnswer(slowBody), [408]);
      expect(asRawAnswer(slowBody).body.error.code).toBe('REQUEST_TIMEOUT');
      expect(slowBody.bytesSent).toBeLessThan(1000);

      const slowHeaders = await trickle(
        app.port,
        'GET /health/live HTTP/1.1\r\n',
        `X-A: ${'a'.repeat(1000)}`,
        200,
      );
      expectRefusal(asRawAnswer(slowHeaders), [408]);
    }
  });

  it('closes an idle keep-alive connection after its timeout', async () => {
    for (const app of apps) {
      const idle = await trickle(app.port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', '', 1000);
      expect(idle.status).toBe(200);
    }
  });

  it('does not cut a live SSE stream: the request timeout bounds receiving the request only', async () => {
    const externalId = uniqueExternalId();
    const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    expect(put.status).toBe(201);
    await timelineHolds(projector.url, apiKey, externalId, 1);
    const stream = await SseClient.open(`${projector.url}/api/v1/customers/${externalId}/timeline/stream`, {
      'X-API-Key': apiKey,
    });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((event) => event.event === 'ready');
      await sleep(REQUEST_TIMEOUT_MS * 2);
      const posted = await request(gateway.url, 'POST', '/api/v1/customer-events', {
        apiKey,
        body: { customerExternalId: externalId, type: 'order.placed' },
      });
      expect(posted.status).toBe(201);
      const item = await stream.waitFor(
        (event) => event.event === 'item' && event.data.type === 'order.placed',
      );
      expect(item.data.id).toBe(posted.body.data.id);
      expect(stream.hasEnded).toBe(false);
    } finally {
      stream.close();
    }
  });
});
