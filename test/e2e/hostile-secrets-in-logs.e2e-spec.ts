import { parseApiKey } from '@app/auth';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { send } from '@test/support/hostile-http';
import { WebhookReceiver } from '@test/support/webhook-receiver';

const VERBOSE = { LOG_LEVEL: 'debug', LOG_HTTP_REQUESTS: 'true', DATABASE_POOL_SIZE: '4' };

/**
 * A full run with every app at LOG_LEVEL=debug and request logging on: API keys (good and bad), webhook
 * secrets (current and rotated) and every signature sent appear in no line any app wrote.
 */
describe('hostile input: no key, secret or signature in any log line', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let dispatcher: AppProcess;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    [gateway, projector, dispatcher] = await Promise.all([
      AppProcess.start('gateway', VERBOSE),
      AppProcess.start('projector', VERBOSE),
      AppProcess.start('webhook-dispatcher', { ...VERBOSE, WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop(), dispatcher?.stop()]);
    await receiver?.close();
  });

  it('logs a full flow in detail without a single secret', async () => {
    const { apiKey } = await createApiKey();
    const { secret: keySecret } = parseApiKey(apiKey)!;
    const headers = { 'x-api-key': apiKey };
    const wrongKey = `${apiKey.slice(0, -4)}AAAA`;

    // Webhook targets: one that fails its first attempt (so retries and failures are logged too).
    const url = receiver.endpoint((_, index) => ({ status: index === 0 ? 500 : 200, body: 'nope' }));
    const target = await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      headers,
      json: { url, eventTypes: ['customer.customer_created', 'customer.customer_updated'] },
    });
    expect(target.status).toBe(201);
    const rotated = await send(
      dispatcher.url,
      'POST',
      `/api/v1/webhook-targets/${target.body.data.id}/rotate-secret`,
      { headers },
    );
    expect(rotated.status).toBe(200);

    // Customers and events, with and without Idempotency-Keys, a batch, bad requests, a wrong key.
    const externalId = uniqueExternalId();
    expect(
      (
        await send(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
          headers,
          json: { email: `${externalId}@example.com`, fullName: 'Logged' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await send(gateway.url, 'PATCH', `/api/v1/customers/${externalId}`, {
          headers,
          json: { fullName: 'Logged Again' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(gateway.url, 'POST', '/api/v1/customer-events', {
          headers: { ...headers, 'idempotency-key': 'idem-logs' },
          json: { customerExternalId: externalId, type: 'order.placed' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await send(gateway.url, 'POST', '/api/v1/customer-events/batch', {
          headers,
          json: { events: [{ customerExternalId: externalId, type: 'a.b' }, { nope: 1 }] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(gateway.url, 'POST', '/api/v1/customer-events', {
          headers,
          json: { customerExternalId: externalId, type: 'BAD TYPE' },
        })
      ).status,
    ).toBe(400);
    for (const [app, path] of [
      [gateway, `/api/v1/customers/${externalId}`],
      [projector, `/api/v1/customers/${externalId}/timeline`],
      [dispatcher, '/api/v1/webhook-targets'],
    ] as const)
      expect((await send(app.url, 'GET', path, { headers: { 'x-api-key': wrongKey } })).status).toBe(401);
    await eventually(async () => {
      const page = await send(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline`, { headers });
      expect(page.body.data.items.length).toBeGreaterThanOrEqual(3);
    }, 30_000);
    const hooks = await receiver.waitFor(url, 3, 30_000);

    const secrets = new Map<string, string>([
      ['API key', apiKey],
      ['API key secret', keySecret],
      ['wrong API key', wrongKey],
      ['webhook secret', target.body.data.secret],
      ['webhook secret (base64 part)', String(target.body.data.secret).replace(/^whsec_/, '')],
      ['rotated webhook secret', rotated.body.data.secret],
      ['rotated webhook secret (base64 part)', String(rotated.body.data.secret).replace(/^whsec_/, '')],
    ]);
    hooks.forEach((hook, i) => {
      secrets.set(`Plain-Request-Signature #${i}`, String(hook.headers['plain-request-signature']));
      for (const part of String(hook.headers['webhook-signature']).split(' '))
        secrets.set(`webhook-signature #${i} ${part.slice(0, 6)}`, part.replace(/^v1,/, ''));
      if (hook.headers['plain-request-signature-previous'])
        secrets.set(
          `Plain-Request-Signature-Previous #${i}`,
          String(hook.headers['plain-request-signature-previous']),
        );
    });

    const logs = { gateway: gateway.logs, projector: projector.logs, dispatcher: dispatcher.logs };
    // The logs are really detailed: request lines at debug level from every app.
    for (const [name, text] of Object.entries(logs)) {
      expect({ name, requestLogs: text.includes('"req"') }).toEqual({ name, requestLogs: true });
    }
    // And they carry the request data around the secrets (the scan would see a leak if there were one).
    expect(logs.gateway).toContain(externalId);
    expect(logs.dispatcher).toContain(target.body.data.id);
    const found: string[] = [];
    for (const [name, text] of Object.entries(logs))
      for (const [what, value] of secrets)
        if (value.length >= 16 && text.includes(value)) found.push(`${what} in the ${name} log`);
    expect(found).toEqual([]);
    const lines = Object.values(logs).reduce((sum, text) => sum + text.split('\n').length, 0);
    process.stdout.write(
      `hostile-secrets-in-logs: ${lines} log lines scanned for ${secrets.size} secrets: none found\n`,
    );
  });
});
