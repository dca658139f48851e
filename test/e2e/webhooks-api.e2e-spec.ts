import { randomBytes } from 'node:crypto';
import { request } from '@test/support/api-client';
import { eventually } from '@test/support/eventually';
import { createApiKey } from '@test/support/fixtures';
import { type PlainVersion, type ReceivedWebhook, verifyWithOracles } from '@test/support/webhook-receiver';
import { WebhooksHarness } from './webhooks-fixtures';

const DELIVERY_ID = /^whDelivery_[0-9A-HJKMNP-TV-Z]{26}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

function newTraceparent() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

const traceOf = (hook: ReceivedWebhook) => {
  const match = TRACEPARENT.exec(String(hook.headers.traceparent));
  if (!match) throw new Error(`no traceparent on the webhook: ${String(hook.headers.traceparent)}`);
  return { traceId: match[1], spanId: match[2] };
};

describe('webhook API: test deliveries, recover, the workspace delivery log, stats and trace propagation', () => {
  let h: WebhooksHarness;

  beforeAll(async () => {
    // One retry 100 ms after the first attempt, then the delivery fails: failures come quickly.
    h = await WebhooksHarness.start({ WEBHOOK_RETRY_SCHEDULE: '100ms' });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const settled = (id: string, status: string) =>
    eventually(async () => {
      const got = await h.dispatcherApi('GET', `/webhook-deliveries/${id}`);
      if (got.body.data?.status !== status)
        throw new Error(`${id} is ${got.body.data?.status}, not ${status}`);
      return got.body.data;
    });

  describe('POST /webhook-targets/{id}/test', () => {
    it.each<PlainVersion>(['2024-09-18', '2025-08-06', '2026-02-27'])(
      "sends an example customer.customer_updated valid for Plain's %s schema, recorded as its own delivery",
      async (version) => {
        const url = h.receiver.endpoint(() => ({
          status: 200,
          headers: { 'x-receiver': 'yes' },
          body: 'got it',
        }));
        const target = await h.registerTarget(url, ['customer.customer_deleted'], version);
        const trace = newTraceparent();

        const sent = await request(h.dispatcher.url, 'POST', `/api/v1/webhook-targets/${target.id}/test`, {
          apiKey: h.apiKey,
          headers: { traceparent: trace.header },
        });

        expect(sent.status).toBe(202);
        expect(sent.body.data).toMatchObject({ id: expect.stringMatching(DELIVERY_ID), status: 'pending' });
        const [hook] = await h.receiver.waitFor(url, 1);
        const body = verifyWithOracles(hook, version, target.secret);
        expect(body).toMatchObject({
          type: 'customer.customer_updated',
          payload: { eventType: 'customer.customer_updated' },
          webhookMetadata: { webhookTargetId: target.id, webhookTargetVersion: version },
        });
        expect(traceOf(hook).traceId).toBe(trace.traceId);

        const delivery = await settled(sent.body.data.id, 'succeeded');
        expect(delivery).toMatchObject({ targetId: target.id, eventId: body.id, attemptCount: 1 });
        expect(delivery.attempts).toHaveLength(1);
        const [attempt] = delivery.attempts;
        expect(attempt).toMatchObject({
          number: 1,
          manual: true,
          outcome: 'success',
          statusCode: 200,
          responseBody: 'got it',
          responseHeaders: expect.objectContaining({ 'x-receiver': 'yes' }),
        });
        expect(attempt.request.body).toBe(hook.body);
        expect(attempt.request.headers).toMatchObject({
          'Plain-Event-Id': body.id,
          'Plain-Request-Signature': '[masked]',
          'webhook-signature': '[masked]',
          traceparent: hook.headers.traceparent,
        });
        expect(JSON.stringify(attempt)).not.toContain(String(hook.headers['plain-request-signature']));
      },
    );

    it('is not retried on a schedule when the receiver fails, and answers 404 for a target of another workspace', async () => {
      const url = h.receiver.endpoint(() => ({ status: 500 }));
      const target = await h.registerTarget(url, ['customer.customer_deleted']);
      const sent = await h.dispatcherApi('POST', `/webhook-targets/${target.id}/test`);
      expect(sent.status).toBe(202);
      const failed = await settled(sent.body.data.id, 'failed');
      expect(failed.attempts.map((a: any) => a.outcome)).toEqual(['http_error']);

      const other = await createApiKey();
      const foreign = await request(h.dispatcher.url, 'POST', `/api/v1/webhook-targets/${target.id}/test`, {
        apiKey: other.apiKey,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('NOT_FOUND');
    });
  });

  it("carries the trace of the change's request on every attempt, a span of its own each", async () => {
    let calls = 0;
    const url = h.receiver.endpoint(() => ({ status: calls++ === 0 ? 503 : 200 }));
    await h.registerTarget(url, ['customer.customer_created']);
    const trace = newTraceparent();
    const externalId = `user_${randomBytes(5).toString('hex')}`;

    const put = await request(h.gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey: h.apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
      headers: { traceparent: trace.header },
    });
    expect(put.status).toBe(201);

    const hooks = (await h.receiver.waitFor(url, 2)).filter(
      (hook) => hook.json.payload.customer.externalId === externalId,
    );
    expect(hooks.map((hook) => hook.headers['plain-webhook-delivery-attempt-number'])).toEqual(['1', '2']);
    const traces = hooks.map(traceOf);
    expect(traces.map((t) => t.traceId)).toEqual([trace.traceId, trace.traceId]);
    expect(new Set([trace.spanId, ...traces.map((t) => t.spanId)]).size).toBe(3);
  });

  describe('POST /webhook-targets/{id}/recover', () => {
    it('gives every failed delivery since the time one more attempt, numbered after its last', async () => {
      let failing = true;
      const url = h.receiver.endpoint(() => ({ status: failing ? 500 : 204 }));
      const since = new Date().toISOString();
      const target = await h.registerTarget(url, ['customer.customer_created']);
      await h.createCustomer();
      await h.createCustomer();
      const failed = await eventually(async () => {
        const list = await h.dispatcherApi('GET', `/webhook-deliveries?targetId=${target.id}&status=failed`);
        if (list.body.data.items.length !== 2) throw new Error('deliveries not failed yet');
        return list.body.data.items;
      });
      expect(
        await h.dispatcherApi('POST', `/webhook-targets/${target.id}/recover`, {
          since: new Date().toISOString(),
        }),
      ).toMatchObject({ status: 202, body: { data: { scheduled: 0 } } });

      failing = false;
      const recovered = await h.dispatcherApi('POST', `/webhook-targets/${target.id}/recover`, { since });

      expect(recovered.status).toBe(202);
      expect(recovered.body.data).toEqual({ scheduled: 2 });
      for (const delivery of failed) {
        const done = await settled(delivery.id, 'succeeded');
        expect(done.attempts.map((a: any) => [a.number, a.manual, a.outcome])).toEqual([
          [1, false, 'http_error'],
          [2, false, 'http_error'],
          [3, true, 'success'],
        ]);
      }

      const stats = await h.dispatcherApi('GET', `/webhook-targets/${target.id}/stats`);
      expect(stats.status).toBe(200);
      expect(stats.body.data).toEqual({ attempts24h: 6, succeeded24h: 2, successRate24h: 2 / 6 });
    });

    it.each([
      ['missing', {}],
      ['not RFC 3339', { since: 'yesterday' }],
      ['a date without a time', { since: '2026-04-18' }],
      ['in the future', { since: '2999-01-01T00:00:00Z' }],
      ['a number', { since: 1760000000 }],
    ])('refuses a since that is %s with 400 naming the field', async (_, body) => {
      const target = await h.registerTarget(h.receiver.endpoint(), ['customer.customer_deleted']);
      const answer = await h.dispatcherApi('POST', `/webhook-targets/${target.id}/recover`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(answer.body.error.details).toContainEqual(expect.objectContaining({ field: 'since' }));
    });

    it("answers 404 for another workspace's target", async () => {
      const target = await h.registerTarget(h.receiver.endpoint(), ['customer.customer_deleted']);
      const other = await createApiKey();
      const answer = await request(h.dispatcher.url, 'POST', `/api/v1/webhook-targets/${target.id}/recover`, {
        apiKey: other.apiKey,
        body: { since: '2026-01-01T00:00:00Z' },
      });
      expect(answer.status).toBe(404);
    });
  });

  describe('GET /webhook-deliveries', () => {
    it("lists the workspace's deliveries across targets, newest first, filtered and paged, and no one else's", async () => {
      // A workspace of its own: the targets of the other tests would get this customer's changes too.
      const { apiKey } = await createApiKey();
      const dispatcher = (path: string, body?: unknown) =>
        request(h.dispatcher.url, body === undefined ? 'GET' : 'POST', `/api/v1${path}`, { apiKey, body });
      const [a, b] = [h.receiver.endpoint(), h.receiver.endpoint()];
      const [targetA, targetB] = await Promise.all(
        [
          { url: a, eventTypes: ['customer.customer_updated'] },
          { url: b, eventTypes: ['customer.customer_changed'] },
        ].map(async (target) => (await dispatcher('/webhook-targets', target)).body.data),
      );
      const externalId = `user_${randomBytes(5).toString('hex')}`;
      const customerPath = `/api/v1/customers/${externalId}`;
      const put = await request(h.gateway.url, 'PUT', customerPath, {
        apiKey,
        body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
      });
      expect(put.status).toBe(201);
      const patch = await request(h.gateway.url, 'PATCH', customerPath, {
        apiKey,
        body: { fullName: 'Peter S.' },
      });
      expect(patch.status).toBe(200);
      const customerId = patch.body.data.id;

      // B gets the creation and the update (customer_changed), A the update; all three delivered.
      const all = await eventually(async () => {
        const list = await dispatcher('/webhook-deliveries?status=succeeded');
        if (list.body.data.items.length !== 3) throw new Error(`${list.body.data.items.length} delivered`);
        return list.body.data.items;
      });
      expect((await dispatcher('/webhook-deliveries')).body.data.items).toEqual(all);
      expect(all.every((d: any) => d.customerId === customerId)).toBe(true);
      expect(all.map((d: any) => d.id)).toEqual([...all.map((d: any) => d.id)].sort().reverse());
      expect(new Set(all.map((d: any) => d.targetId))).toEqual(new Set([targetA.id, targetB.id]));
      expect((await dispatcher(`/webhook-deliveries?customerId=${customerId}`)).body.data.items).toEqual(all);
      expect(
        (await dispatcher('/webhook-deliveries?customerId=c_01JS1XM2A3B4C5D6E7F8G9H0JK')).body.data.items,
      ).toEqual([]);

      const updateEventId = all.find((d: any) => d.targetId === targetA.id).eventId;
      const byEvent = await dispatcher(`/webhook-deliveries?eventId=${updateEventId}`);
      expect(byEvent.body.data.items.map((d: any) => d.targetId).sort()).toEqual(
        [targetA.id, targetB.id].sort(),
      );
      const byType = await dispatcher(
        `/webhook-deliveries?eventType=customer.customer_changed&targetId=${targetB.id}`,
      );
      expect(byType.body.data.items).toHaveLength(2);
      expect((await dispatcher('/webhook-deliveries?status=failed')).body.data.items).toEqual([]);

      const first = await dispatcher('/webhook-deliveries?limit=2');
      expect(first.body.data).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
      const second = await dispatcher(`/webhook-deliveries?limit=2&cursor=${first.body.data.nextCursor}`);
      expect(second.body.data).toMatchObject({ hasMore: false, nextCursor: null });
      expect([...first.body.data.items, ...second.body.data.items].map((d: any) => d.id)).toEqual(
        all.map((d: any) => d.id),
      );

      // The harness's workspace sees none of them, and another workspace's target is 404.
      const foreign = await h.dispatcherApi('GET', `/webhook-deliveries?customerId=${customerId}`);
      expect(foreign.body.data.items).toEqual([]);
      expect((await h.dispatcherApi('GET', `/webhook-deliveries?targetId=${targetA.id}`)).status).toBe(404);
    });

    it.each([
      ['status=bogus', 'status'],
      ['eventType=order.placed', 'eventType'],
      ['customerId=user_42', 'customerId'],
      ['eventId=pEv_x', 'eventId'],
      ['targetId=1', 'targetId'],
      ['limit=0', 'limit'],
    ])('refuses %s with 400 naming the field', async (query, field) => {
      const answer = await h.dispatcherApi('GET', `/webhook-deliveries?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toContainEqual(expect.objectContaining({ field }));
    });
  });

  it('answers null for the success rate of a target without attempts, and 404 for an unknown target', async () => {
    const target = await h.registerTarget(h.receiver.endpoint(), ['customer.customer_deleted']);
    expect((await h.dispatcherApi('GET', `/webhook-targets/${target.id}/stats`)).body.data).toEqual({
      attempts24h: 0,
      succeeded24h: 0,
      successRate24h: null,
    });
    expect(
      (await h.dispatcherApi('GET', '/webhook-targets/whTarget_01JS1XM2A3B4C5D6E7F8G9H0JK/stats')).status,
    ).toBe(404);
  });
});
