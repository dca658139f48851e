import { type ReceivedWebhook, verifyWithOracles } from '@test/support/webhook-receiver';
import { WebhooksHarness } from './webhooks-fixtures';

describe('webhook retries against a real receiver (WEBHOOK_RETRY_SCHEDULE=1s,1s,1s)', () => {
  let h: WebhooksHarness;

  beforeAll(async () => {
    h = await WebhooksHarness.start({ WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s' });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('when the receiver fails twice, the third attempt is numbered 3 and carries the same event id', async () => {
    const url = h.receiver.endpoint((_, index) => ({
      status: index < 2 ? 500 : 200,
      body: `answer ${index + 1}`,
    }));
    const target = await h.registerTarget(url, ['customer.customer_created'], '2025-08-06');
    await h.createCustomer();

    const hooks = await h.receiver.waitFor(url, 3);
    const bodies = hooks.map((hook) => verifyWithOracles(hook, '2025-08-06', target.secret));
    expect(bodies.map((b) => b.webhookMetadata.webhookDeliveryAttemptNumber)).toEqual([1, 2, 3]);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    const attemptIds = bodies.map((b) => b.webhookMetadata.webhookDeliveryAttemptId);
    expect(new Set(attemptIds).size).toBe(3);
    expect(hooks.map((hook) => hook.headers['plain-webhook-delivery-attempt-number'])).toEqual([
      '1',
      '2',
      '3',
    ]);

    const delivery = await h.deliveryOf(target.id, (d) => expect(d.status).toBe('succeeded'));
    expect(delivery).toMatchObject({ eventId: bodies[0].id, attemptCount: 3, lastStatusCode: 200 });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        number: 1,
        id: attemptIds[0],
        statusCode: 500,
        outcome: 'http_error',
        responseBody: 'answer 1',
      }),
      expect.objectContaining({
        number: 2,
        id: attemptIds[1],
        statusCode: 500,
        outcome: 'http_error',
        responseBody: 'answer 2',
      }),
      expect.objectContaining({
        number: 3,
        id: attemptIds[2],
        statusCode: 200,
        outcome: 'success',
        responseBody: 'answer 3',
      }),
    ]);
    expect(delivery.attempts.map((a: { timestamp: string }) => a.timestamp)).toEqual(
      bodies.map((b) => b.webhookMetadata.webhookDeliveryAttemptTimestamp),
    );
  });

  it('renders the retry in the new version when the target changes version between attempts', async () => {
    let targetId = '';
    const url = h.receiver.endpoint(async (_, index) => {
      if (index > 0) return { status: 200 };
      // Changed while attempt 1 is still in flight: attempt 2 must be rendered in the new version.
      const patched = await h.dispatcherApi('PATCH', `/webhook-targets/${targetId}`, {
        version: '2026-02-27',
      });
      return { status: patched.status === 200 ? 503 : 400 };
    });
    const target = await h.registerTarget(url, ['customer.customer_created'], '2024-09-18');
    targetId = target.id;
    await h.createCustomer();

    const [first, second] = await h.receiver.waitFor(url, 2);
    const firstBody = verifyWithOracles(first, '2024-09-18', target.secret);
    const retried = verifyWithOracles(second, '2026-02-27', target.secret);
    expect(firstBody.webhookMetadata.webhookDeliveryAttemptNumber).toBe(1);
    expect(retried.webhookMetadata).toMatchObject({
      webhookTargetVersion: '2026-02-27',
      webhookDeliveryAttemptNumber: 2,
    });
    expect(second.headers['plain-webhook-target-version']).toBe('2026-02-27');
    expect(retried.id).toBe(firstBody.id);
  });

  it('gives up after the last scheduled attempt, and a manual retry is numbered after it', async () => {
    let healthy = false;
    const url = h.receiver.endpoint(() => ({ status: healthy ? 204 : 500 }));
    const target = await h.registerTarget(url, ['customer.customer_created']);
    await h.createCustomer();

    const failed = await h.deliveryOf(target.id, (d) => expect(d.status).toBe('failed'));
    expect(failed.attempts.map((a: { number: number }) => a.number)).toEqual([1, 2, 3, 4]);
    expect(h.receiver.requestsTo(url)).toHaveLength(4);

    healthy = true;
    const retry = await h.dispatcherApi('POST', `/webhook-deliveries/${failed.id}/retry`);
    expect(retry.status).toBe(202);
    const manual = (await h.receiver.waitFor(url, 5))[4];
    expect(manual.json.webhookMetadata.webhookDeliveryAttemptNumber).toBe(5);
    expect(manual.json.id).toBe(failed.eventId);
    const done = await h.deliveryOf(target.id, (d) => expect(d.status).toBe('succeeded'));
    expect(done.attempts[4]).toMatchObject({ number: 5, manual: true, statusCode: 204, outcome: 'success' });
  });

  it('disables a target that answers 410 Gone, and does not follow redirects', async () => {
    const gone = h.receiver.endpoint(() => ({ status: 410 }));
    const elsewhere = h.receiver.endpoint();
    const redirected = h.receiver.endpoint(() => ({ status: 302, headers: { location: elsewhere } }));
    const goneTarget = await h.registerTarget(gone, ['customer.customer_created']);
    const redirectTarget = await h.registerTarget(redirected, ['customer.customer_created']);
    await h.createCustomer();

    const goneDelivery = await h.deliveryOf(goneTarget.id, (d) => expect(d.status).toBe('failed'));
    expect(goneDelivery.attempts).toEqual([
      expect.objectContaining({ number: 1, statusCode: 410, outcome: 'gone' }),
    ]);
    const read = await h.dispatcherApi('GET', `/webhook-targets/${goneTarget.id}`);
    expect(read.body.data).toMatchObject({ enabled: false, disabledReason: 'gone' });

    const redirect = await h.deliveryOf(redirectTarget.id, (d) =>
      expect(d.attempts[0]?.outcome).toBe('redirect'),
    );
    expect(redirect.attempts[0].error).toMatch(/redirect to .* not followed/);
    expect(h.receiver.requestsTo(elsewhere)).toEqual([]);
  });

  it("waits at least as long as a 429's Retry-After before the next attempt", async () => {
    const url = h.receiver.endpoint((_, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 },
    );
    await h.registerTarget(url, ['customer.customer_created']);
    await h.createCustomer();
    const [first, second] = await h.receiver.waitFor(url, 2);
    const at = (hook: ReceivedWebhook) =>
      Date.parse(hook.json.webhookMetadata.webhookDeliveryAttemptTimestamp);
    expect(at(second) - at(first)).toBeGreaterThanOrEqual(3000);
  });
});
