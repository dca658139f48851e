import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { installHttpTracing } from './http-tracing';
import { currentTrace } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('HTTP tracing', () => {
  let app: FastifyInstance;
  let url: string;
  let afterResponse: Promise<unknown> | undefined;

  beforeAll(async () => {
    app = Fastify();
    installHttpTracing(app);
    // A handler that awaits before it reads the trace: its continuations run in the request's trace.
    app.get('/handled', async () => {
      await sleep(5);
      return { traceId: currentTrace()?.traceId ?? null };
    });
    // A response left open after its handler (a live stream): what a timer of the handler sees 20 ms later.
    app.get('/open', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.write('open\n');
      setTimeout(() => reply.raw.end(String(currentTrace()?.traceId ?? 'none')), 20);
    });
    // What a timer of the handler sees once the response has been sent and closed.
    app.get('/after', (_request, reply) => {
      afterResponse = new Promise((resolve) => setTimeout(() => resolve(currentTrace()), 50));
      return reply.send({ sent: true });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => app.close());

  const get = (path: string) => fetch(`${url}${path}`, { headers: { traceparent: TRACEPARENT } });

  it("runs the handler and everything it awaits in the caller's trace", async () => {
    const response = await get('/handled');

    expect(await response.json()).toEqual({ traceId: TRACE_ID });
  });

  it('keeps the trace for a response left open until it closes', async () => {
    const response = await get('/open');

    expect(await response.text()).toBe(`open\n${TRACE_ID}`);
  });

  it('gives the trace context up once the response is closed: later work runs outside any trace', async () => {
    const response = await get('/after');

    expect(await response.json()).toEqual({ sent: true });
    expect(await afterResponse).toBeUndefined();
  });
});
