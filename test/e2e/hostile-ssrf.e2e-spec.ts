import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { expectRefusal, send } from '@test/support/hostile-http';
import { WebhookReceiver } from '@test/support/webhook-receiver';
import { sql } from './gateway-helpers';
import { useOwnTopics } from '@test/support/own-topics';

/** An internal service that must never be reached: it counts every request it gets. */
async function canary(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('internal secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const STRICT = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
  WEBHOOK_RETRY_SCHEDULE: '200ms,200ms',
  DATABASE_POOL_SIZE: '4',
};

/**
 * SSRF. With WEBHOOK_ALLOW_PRIVATE_TARGETS=false the dispatcher refuses private, loopback and link-local
 * destinations when a target is registered or changed, and again when it connects (a target stored earlier, or
 * a name whose DNS answer changed, cannot get through). Redirects are never followed, so a public receiver
 * answering 302 to an internal address cannot make the dispatcher go there. This sandbox has no public
 * address, so that last part runs against a dispatcher that allows private targets (the only way to reach
 * any receiver here) and shows that even then the redirect is not followed: strictly more than needed.
 */
describe('hostile input: SSRF through webhook targets', () => {
  let gateway: AppProcess;
  let apiKey: string;
  let internal: Awaited<ReturnType<typeof canary>>;
  let receiver: WebhookReceiver;
  const running: AppProcess[] = [];
  const startDispatcher = async (env: Record<string, string>) => {
    const app = await AppProcess.start('webhook-dispatcher', {
      DISPATCHER_GROUP_ID: `ssrf-${randomBytes(4).toString('hex')}`,
      ...env,
    });
    running.push(app);
    return app;
  };
  const customerChange = async () => {
    const externalId = uniqueExternalId();
    const put = await send(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      headers: { 'x-api-key': apiKey },
      json: { email: `${externalId}@example.com`, fullName: 'SSRF' },
    });
    expect(put.status).toBe(201);
  };
  /** The finished attempts of a target's deliveries (an attempt row exists from its start). */
  const attemptsOf = (targetId: string) =>
    sql<{ attempt_number: number; status_code: number | null; outcome: string; error: string | null }>(
      `SELECT a.attempt_number, a.status_code, a.outcome, a.error FROM webhook_attempts a
       JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.target_id = $1 AND a.outcome IS NOT NULL ORDER BY a.attempt_number`,
      [targetId],
    );

  beforeAll(async () => {
    await useOwnTopics('hostile-ssrf');
    [gateway, { apiKey }, internal, receiver] = await Promise.all([
      AppProcess.start('gateway'),
      createApiKey(),
      canary(),
      WebhookReceiver.start(),
    ]);
  });

  // Dispatchers share the deliveries table: none may outlive its test, or it would deliver the next one's.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([internal?.close(), receiver?.close()]);
  });

  it('refuses private, loopback and link-local destinations at registration, in every spelling', async () => {
    const dispatcher = await startDispatcher(STRICT);
    const port = new URL(internal.url).port;
    const urls = [
      `http://127.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://10.0.0.1/hook',
      `http://localhost:${port}/hook`,
      'http://127.1/hook',
      'http://2130706433/hook',
      'http://0x7f.0.0.1/hook',
      'http://0177.0.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://[64:ff9b::a9fe:a9fe]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://192.168.0.1/hook',
      'http://172.16.0.1/hook',
      'http://100.64.0.1/hook',
      `https://user:pass@127.0.0.1:${port}/hook`,
    ];
    await expectUrlsRefused(dispatcher, apiKey, urls);
    // Changing a public target's URL to a private one is refused the same way.
    const target = await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      headers: { 'x-api-key': apiKey },
      json: { url: 'https://hooks.example.com/x', eventTypes: ['customer.customer_created'] },
    });
    expect(target.status).toBe(201);
    for (const url of [
      `http://127.0.0.1:${port}/x`,
      'http://169.254.169.254/',
      `http://localhost:${port}/x`,
    ]) {
      expectRefusal(
        await send(dispatcher.url, 'PATCH', `/api/v1/webhook-targets/${target.body.data.id}`, {
          headers: { 'x-api-key': apiKey },
          json: { url },
        }),
        [400],
      );
    }
    await send(dispatcher.url, 'DELETE', `/api/v1/webhook-targets/${target.body.data.id}`, {
      headers: { 'x-api-key': apiKey },
    });
    expect(internal.hits).toEqual([]);
    await dispatcher.stop();
    process.stdout.write(`hostile-ssrf: ${urls.length + 3} private URLs refused at registration or change\n`);
  });

  it('refuses the IPv6 forms that carry a loopback IPv4 address (compatible, translated, NAT64, 6to4)', async () => {
    // Literals only: registration judges them without resolving or connecting anything.
    const dispatcher = await startDispatcher(STRICT);
    const port = new URL(internal.url).port;
    const urls = [
      `http://[::127.0.0.1]:${port}/hook`,
      `http://[::7f00:1]:${port}/hook`,
      `http://[::ffff:0:7f00:1]:${port}/hook`,
      `http://[64:ff9b::7f00:1]:${port}/hook`,
      `http://[64:ff9b:1::7f00:1]:${port}/hook`,
      `http://[2002:7f00:1::1]:${port}/hook`,
    ];
    await expectUrlsRefused(dispatcher, apiKey, urls);
    expect(internal.hits).toEqual([]);
    await dispatcher.stop();
  });

  it('a receiver answering 302 (or 307/308) to an internal address is a failed attempt, and the redirect is never followed', async () => {
    // Private targets allowed: the receiver standing in for the public site is on loopback, and with the guard
    // off a followed redirect would reach the internal service. It is not followed.
    const dispatcher = await startDispatcher({ ...STRICT, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    const targets: Array<{ id: string; status: number; location: string }> = [];
    for (const [status, location] of [
      [302, `${internal.url}/internal/admin`],
      [307, `${internal.url}/internal/keys`],
      [308, 'http://169.254.169.254/latest/meta-data/'],
      [301, `http://localhost:${new URL(internal.url).port}/internal`],
    ] as const) {
      const url = receiver.endpoint(() => ({ status, headers: { location } }));
      const created = await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
        headers: { 'x-api-key': apiKey },
        json: { url, eventTypes: ['customer.customer_created'] },
      });
      targets.push({ id: created.body.data.id, status, location });
    }
    await customerChange();
    for (const target of targets) {
      const attempts = await eventually(async () => {
        const rows = await attemptsOf(target.id);
        expect(rows).toHaveLength(3);
        return rows;
      }, 30_000);
      // Each attempt recorded the redirect as the answer, and failed.
      expect(attempts.map((a) => [a.attempt_number, a.status_code])).toEqual([
        [1, target.status],
        [2, target.status],
        [3, target.status],
      ]);
      expect(new Set(attempts.map((a) => a.outcome)).has('succeeded')).toBe(false);
    }
    await sleep(500);
    // The receiver got every attempt (4 targets × 3); the internal service none.
    expect(receiver.received).toHaveLength(12);
    expect(internal.hits).toEqual([]);
    await dispatcher.stop();
  });

  it('a target stored with a private URL is refused again when the dispatcher connects: no request leaves', async () => {
    // Stored while private targets were allowed (or by a DNS answer that changed since): now they are not.
    const permissive = await startDispatcher({ ...STRICT, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    const port = new URL(internal.url).port;
    const stored: string[] = [];
    for (const url of [`${internal.url}/by-ip`, `http://localhost:${port}/by-name`]) {
      const created = await send(permissive.url, 'POST', '/api/v1/webhook-targets', {
        headers: { 'x-api-key': apiKey },
        json: { url, eventTypes: ['customer.customer_created'] },
      });
      expect(created.status).toBe(201);
      stored.push(created.body.data.id);
    }
    await permissive.stop();

    const strict = await startDispatcher(STRICT);
    // A name that does not resolve at registration is accepted (it may be set up later): it is checked when
    // the dispatcher connects, like every other name. Here "localhost." (with the root dot).
    const dotted = await send(strict.url, 'POST', '/api/v1/webhook-targets', {
      headers: { 'x-api-key': apiKey },
      json: { url: `http://localhost.:${port}/by-fqdn`, eventTypes: ['customer.customer_created'] },
    });
    if (dotted.status === 201) stored.push(dotted.body.data.id);
    else expectRefusal(dotted, [400]);
    await customerChange();
    for (const targetId of stored) {
      const attempts = await eventually(async () => {
        const rows = await attemptsOf(targetId);
        expect(rows).toHaveLength(3);
        return rows;
      }, 30_000);
      for (const attempt of attempts) {
        expect(attempt.status_code).toBeNull();
        expect(attempt.error).toMatch(/private, loopback or link-local|ENOTFOUND|EAI_AGAIN/);
      }
    }
    expect(internal.hits).toEqual([]);
  });
});

/** Creating a target with each of `urls` is refused with 400 naming the url field. */
async function expectUrlsRefused(dispatcher: AppProcess, apiKey: string, urls: string[]): Promise<void> {
  const answers = [];
  for (const url of urls) {
    const created = await send(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      headers: { 'x-api-key': apiKey },
      json: { url, eventTypes: ['customer.customer_created'] },
    });
    answers.push({ url, status: created.status, field: created.body?.error?.details?.[0]?.field });
  }
  expect(answers.filter((a) => a.status !== 400 || a.field !== 'url')).toEqual([]);
}
