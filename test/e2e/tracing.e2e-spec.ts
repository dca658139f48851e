import { randomBytes } from 'node:crypto';
import { TOPICS } from '@app/contracts';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { TopicReader } from './gateway-helpers';

interface LogLine {
  level: number;
  msg: string;
  service: string;
  traceId?: string;
  spanId?: string;
  topic?: string;
  [field: string]: unknown;
}

const INFO = 30;

function logLines(app: AppProcess): LogLine[] {
  return app.logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Waits for `app` to log a line of `traceId` that satisfies `predicate`, and returns it. */
function lineOf(app: AppProcess, traceId: string, predicate: (line: LogLine) => boolean): Promise<LogLine> {
  return eventually(() => {
    const found = logLines(app).find((line) => line.traceId === traceId && predicate(line));
    if (!found) throw new Error(`${app.name} logged no matching line for trace ${traceId}`);
    return found;
  }, 30000);
}

function newTraceparent() {
  const traceId = randomBytes(16).toString('hex');
  const clientSpanId = randomBytes(8).toString('hex');
  return { traceId, clientSpanId, header: `00-${traceId}-${clientSpanId}-01` };
}

const onTopic = (topic: string) => (line: LogLine) => line.topic?.endsWith(topic) === true;

describe('one event traceable across the apps by its W3C traceparent (LOG_LEVEL=info)', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let dispatcher: AppProcess;
  let apiKey: string;
  let events: TopicReader;

  beforeAll(async () => {
    const env = { LOG_LEVEL: 'info' };
    [gateway, projector, dispatcher] = await Promise.all([
      AppProcess.start('gateway', { ...env, LOG_HTTP_REQUESTS: 'true' }),
      AppProcess.start('projector', env),
      AppProcess.start('webhook-dispatcher', env),
    ]);
    ({ apiKey } = await createApiKey());
    events = await new TopicReader(TOPICS.customerEvents).start();
  });

  afterAll(async () => {
    await events?.stop();
    await Promise.all([gateway?.stop(), projector?.stop(), dispatcher?.stop()]);
  });

  it("follows a customer change from the gateway's request through the outbox to the projector and the dispatcher", async () => {
    const trace = newTraceparent();
    const externalId = uniqueExternalId();
    const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
      headers: { traceparent: trace.header },
    });
    expect(put.status).toBe(201);

    const requestLine = await lineOf(gateway, trace.traceId, (line) => line.msg === 'request completed');
    expect(requestLine.level).toBe(INFO);
    const published = await lineOf(gateway, trace.traceId, onTopic(TOPICS.customerChanges));
    expect(published).toMatchObject({ level: INFO, service: 'gateway', msg: 'Message published' });
    // The gateway's own span, a child of the client's.
    expect(published.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(published.spanId).not.toBe(trace.clientSpanId);

    for (const [app, service] of [
      [projector, 'projector'],
      [dispatcher, 'webhook-dispatcher'],
    ] as const) {
      const processed = await lineOf(app, trace.traceId, onTopic(TOPICS.customerChanges));
      expect(processed).toMatchObject({
        level: INFO,
        service,
        msg: 'Message processed',
        spanId: published.spanId,
        key: put.body.data.id,
      });
    }
  });

  it('follows a customer event from the gateway to the projector, with the traceparent in the Kafka headers', async () => {
    const externalId = uniqueExternalId();
    await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    const trace = newTraceparent();
    const posted = await request(gateway.url, 'POST', '/api/v1/customer-events', {
      apiKey,
      body: { customerExternalId: externalId, type: 'order.placed' },
      headers: { traceparent: trace.header },
    });
    expect(posted.status).toBe(201);

    const published = await lineOf(gateway, trace.traceId, onTopic(TOPICS.customerEvents));
    const processed = await lineOf(projector, trace.traceId, onTopic(TOPICS.customerEvents));
    expect(processed).toMatchObject({ level: INFO, msg: 'Message processed', spanId: published.spanId });
    const [record] = await eventually(() => {
      const found = events.where((value) => value.id === posted.body.data.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(record.headers.traceparent).toBe(`00-${trace.traceId}-${published.spanId}-01`);
  });

  it('starts an unsampled trace when the client sends none: carried in the headers, kept out of info logs', async () => {
    const externalId = uniqueExternalId();
    await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    const posted = await request(gateway.url, 'POST', '/api/v1/customer-events', {
      apiKey,
      body: { customerExternalId: externalId, type: 'order.placed' },
      headers: { traceparent: 'not-a-valid-traceparent' },
    });
    expect(posted.status).toBe(201);

    const [record] = await eventually(() => {
      const found = events.where((value) => value.id === posted.body.data.id);
      expect(found).toHaveLength(1);
      return found;
    });
    const [, traceId] = /^00-([0-9a-f]{32})-[0-9a-f]{16}-00$/.exec(record.headers.traceparent) ?? [];
    expect(traceId).toBeDefined();
    await eventually(async () => {
      const page = await request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline`, {
        apiKey,
      });
      expect(page.body.data.items.map((i: { id: string }) => i.id)).toContain(posted.body.data.id);
    });
    // Only the request line (LOG_HTTP_REQUESTS) names it; no per-message line does at info level.
    const lines = [gateway, projector].flatMap(logLines).filter((line) => line.traceId === traceId);
    expect(lines.map((line) => line.msg)).toEqual(['request completed']);
  });
});
