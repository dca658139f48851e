import { request } from '@test/support/api-client';
import { type PlainVersion, verifyWithOracles } from '@test/support/webhook-receiver';
import { verifyPlainWebhook } from 'plain-sdk-2026-02-27';
import { Webhook } from 'standardwebhooks';
import { WebhooksHarness } from './webhooks-fixtures';

const ATTEMPT_ID = /^whAttempt_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('webhook deliveries: gateway → Kafka → dispatcher → a real receiver', () => {
  let h: WebhooksHarness;

  beforeAll(async () => {
    h = await WebhooksHarness.start();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('delivers a spam mark to a 2024-09-18 target as customer.customer_updated, signed and valid for Plain', async () => {
    const url = h.receiver.endpoint();
    const target = await h.registerTarget(url, ['customer.customer_updated'], '2024-09-18');
    const externalId = await h.createCustomer();
    const spam = await h.gatewayApi('POST', `/customers/${externalId}/mark-as-spam`);
    expect(spam.status).toBe(200);

    const [hook] = await h.receiver.waitFor(url, 1);
    const body = verifyWithOracles(hook, '2024-09-18', target.secret);
    expect(body).toMatchObject({
      workspaceId: expect.stringMatching(/^w_/),
      type: 'customer.customer_updated',
      payload: {
        eventType: 'customer.customer_updated',
        customer: { id: spam.body.data.id, externalId, markedAsSpamAt: spam.body.data.markedAsSpamAt },
        previousCustomer: { id: spam.body.data.id, markedAsSpamAt: null, markedAsSpamBy: null },
      },
      webhookMetadata: {
        webhookTargetId: target.id,
        webhookTargetVersion: '2024-09-18',
        webhookDeliveryAttemptNumber: 1,
      },
    });
    expect(body.payload.customer.markedAsSpamAt).not.toBeNull();
    expect(body.id).toMatch(/^pEv_/);
    expect(body.webhookMetadata.webhookDeliveryAttemptId).toMatch(ATTEMPT_ID);
    expect(hook.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/\S+/),
      'plain-workspace-id': body.workspaceId,
      'plain-webhook-target-id': target.id,
      'plain-webhook-target-version': '2024-09-18',
      'plain-webhook-delivery-attempt-id': body.webhookMetadata.webhookDeliveryAttemptId,
      'plain-webhook-delivery-attempt-number': '1',
      'plain-webhook-delivery-attempt-timestamp': body.webhookMetadata.webhookDeliveryAttemptTimestamp,
      'plain-event-type': 'customer.customer_updated',
      'plain-event-id': body.id,
      'webhook-id': body.id,
    });
    const delivery = await h.deliveryOf(target.id, (d) => expect(d.status).toBe('succeeded'));
    expect(delivery).toMatchObject({ eventId: body.id, attemptCount: 1, lastStatusCode: 200 });
    expect(h.receiver.requestsTo(url)).toHaveLength(1);
  });

  it("renders a customer's creation, update and deletion in each version's schema, one event id for all targets", async () => {
    const versions: PlainVersion[] = ['2024-09-18', '2025-08-06', '2026-02-27'];
    const targets = await Promise.all(
      versions.map(async (version) => {
        const url = h.receiver.endpoint();
        const eventTypes = ['customer.customer_changed', 'customer.customer_deleted'];
        return { url, version, target: await h.registerTarget(url, eventTypes, version) };
      }),
    );
    const externalId = await h.createCustomer();
    expect((await h.gatewayApi('PATCH', `/customers/${externalId}`, { fullName: 'Peter S.' })).status).toBe(
      200,
    );
    expect((await h.gatewayApi('DELETE', `/customers/${externalId}`)).status).toBe(200);

    const kind = (b: any) => `${b.type}:${b.payload.changeType ?? ''}`;
    const idsByTarget: string[][] = [];
    for (const { url, version, target } of targets) {
      const hooks = await h.receiver.waitFor(url, 3);
      const bodies = hooks.map((hook) => verifyWithOracles(hook, version, target.secret));
      bodies.sort((a, b) => kind(a).localeCompare(kind(b)));
      expect(bodies.map(kind)).toEqual([
        'customer.customer_changed:ADDED',
        'customer.customer_changed:UPDATED',
        'customer.customer_deleted:',
      ]);
      expect(bodies[0].payload.previousCustomer).toBeNull();
      expect(bodies[1].payload.previousCustomer.fullName).toBe('Peter Santos');
      expect(bodies[2].payload.previousCustomer.fullName).toBe('Peter S.');
      expect(bodies.every((b) => b.webhookMetadata.webhookTargetVersion === version)).toBe(true);
      idsByTarget.push(bodies.map((b) => b.id));
    }
    expect(idsByTarget[1]).toEqual(idsByTarget[0]);
    expect(idsByTarget[2]).toEqual(idsByTarget[0]);
  });

  it('signs with both secrets during a rotation, and each verifies on its own', async () => {
    const url = h.receiver.endpoint();
    const target = await h.registerTarget(url, ['customer.customer_created']);
    const rotated = await h.dispatcherApi('POST', `/webhook-targets/${target.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    await h.createCustomer();

    const [hook] = await h.receiver.waitFor(url, 1);
    expect(String(hook.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verifyWithOracles(hook, '2026-02-27', rotated.body.data.secret);
    const standard = {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    };
    expect(() => new Webhook(target.secret).verify(hook.body, standard)).not.toThrow();
    const previous = String(hook.headers['plain-request-signature-previous']);
    expect(verifyPlainWebhook(hook.body, previous, target.secret).error).toBeUndefined();
  });

  it('after two rotations within 24 h signs with all three secrets, and each verifies on its own', async () => {
    const url = h.receiver.endpoint();
    const target = await h.registerTarget(url, ['customer.customer_created']);
    const rotate = () => h.dispatcherApi('POST', `/webhook-targets/${target.id}/rotate-secret`);
    const first = await rotate();
    const second = await rotate();
    expect([first.status, second.status]).toEqual([200, 200]);
    const [current, previous, original] = [second.body.data.secret, first.body.data.secret, target.secret];
    expect(new Set([current, previous, original]).size).toBe(3);
    await h.createCustomer();

    const [hook] = await h.receiver.waitFor(url, 1);
    expect(String(hook.headers['webhook-signature']).split(' ')).toHaveLength(3);
    verifyWithOracles(hook, '2026-02-27', current);
    const standard = {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    };
    for (const secret of [current, previous, original]) {
      expect(() => new Webhook(secret).verify(hook.body, standard)).not.toThrow();
    }
    // Plain's header pair: the current secret, and the one rotated out most recently.
    const plainPrevious = String(hook.headers['plain-request-signature-previous']);
    expect(verifyPlainWebhook(hook.body, plainPrevious, previous).error).toBeUndefined();
  });

  it('exposes attempts by outcome, their latency and the pending deliveries on /metrics', async () => {
    const metrics = await request<string>(h.dispatcher.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(
      /^webhook_attempts_total\{outcome="success",service="webhook-dispatcher"\} \d+/m,
    );
    expect(metrics.body).toMatch(
      /^webhook_attempt_duration_seconds_bucket\{le="0.1",service="webhook-dispatcher",outcome="success"\} \d+/m,
    );
    expect(metrics.body).toMatch(/^webhook_deliveries_pending\{service="webhook-dispatcher"\} \d+/m);
  });
});
