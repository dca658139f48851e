import {
  ApiKeysRepository,
  ApiKeysService,
  generateApiKey,
  parseApiKey,
  secretMatches,
  WorkspacesRepository,
} from '@app/auth';
import { newId } from '@app/contracts';
import { openDataSource } from '@app/database';
import { AppProcess, type AppName } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, revokeApiKey as revoke, uniqueExternalId } from '@test/support/fixtures';
import { type Answer, send } from '@test/support/hostile-http';
import { discoverRoutes, type Route } from '@test/support/route-table';
import { WebhookReceiver } from '@test/support/webhook-receiver';

/** Bodies that would pass validation, so that only the key can explain a refusal. */
function bodyFor(route: Route, externalId: string): unknown {
  const key = `${route.method} ${route.url}`;
  if (key === 'POST /api/v1/customer-events') return { customerExternalId: externalId, type: 'auth.matrix' };
  if (key === 'POST /api/v1/customer-events/batch')
    return { events: [{ customerExternalId: externalId, type: 'auth.matrix' }] };
  if (key === 'PUT /api/v1/customers/:externalId')
    return { email: `${uniqueExternalId('intruder')}@example.com`, fullName: 'Intruder' };
  if (key === 'PATCH /api/v1/customers/:externalId') return { fullName: 'Intruder' };
  if (key === 'POST /api/v1/webhook-targets')
    return { url: 'https://intruder.example.com/hook', eventTypes: ['customer.customer_created'] };
  if (key === 'PATCH /api/v1/webhook-targets/:targetId') return { description: 'intruder' };
  if (key === 'POST /api/v1/webhook-targets/:targetId/recover') return { since: '2026-01-01T00:00:00Z' };
  return ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
}

/** Query strings a route requires, so that only the key can explain a refusal. */
function queryFor(route: Route, externalId: string): string {
  if (route.url === '/api/v1/customers') return `?query=${encodeURIComponent(externalId)}`;
  return '';
}

/**
 * The auth matrix over the route table: every /api/v1 route of every app, discovered from the apps themselves,
 * refuses a missing, malformed or revoked key with 401, and another workspace's key gets 404 (or 401) for this
 * workspace's resources and never a 2xx carrying its data. A route added without the guard fails this test.
 */
describe('hostile input: the auth matrix over every route', () => {
  let routes: Route[];
  const apps = {} as Record<AppName, AppProcess>;
  let receiver: WebhookReceiver;
  let owner: { apiKey: string; workspaceId: string };
  let intruder: { apiKey: string; workspaceId: string };
  let revokedKey: string;
  const params: Record<string, string> = {};
  /** Strings that only workspace A's data contains: none may appear in an answer to workspace B. */
  let secrets: string[] = [];

  const fill = (url: string) =>
    url.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'));
  const call = async (route: Route, headers: Record<string, string>): Promise<Answer> => {
    const path = fill(route.url) + queryFor(route, params.externalId);
    const json =
      route.method === 'HEAD' || route.method === 'GET' ? undefined : bodyFor(route, params.externalId);
    // Streams (SSE) answer with headers and then never end: only the status line is read.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    try {
      const response = await fetch(`${apps[route.app].url}${path}`, {
        method: route.method,
        headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: controller.signal,
      });
      const streaming = (response.headers.get('content-type') ?? '').includes('text/event-stream');
      const text = streaming ? '' : await response.text();
      if (streaming) controller.abort();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.status, text, body, headers: response.headers };
    } finally {
      clearTimeout(timer);
    }
  };
  const apiRoutes = () => routes.filter((r) => r.url.startsWith('/api/'));

  beforeAll(async () => {
    routes = await discoverRoutes();
    receiver = await WebhookReceiver.start();
    [apps.gateway, apps.projector, apps['webhook-dispatcher'], owner, intruder] = await Promise.all([
      AppProcess.start('gateway'),
      AppProcess.start('projector', { DATABASE_POOL_SIZE: '4' }),
      AppProcess.start('webhook-dispatcher', { DATABASE_POOL_SIZE: '4' }),
      createApiKey(),
      createApiKey(),
    ]);
    const sameWorkspace = await createApiKey(await workspaceName(owner.workspaceId));
    expect(sameWorkspace.workspaceId).toBe(owner.workspaceId);
    await revoke(sameWorkspace.apiKeyId);
    revokedKey = sameWorkspace.apiKey;

    // Workspace A's resources: a customer with events, a webhook target, a delivery.
    const asOwner = { 'x-api-key': owner.apiKey };
    const target = await send(apps['webhook-dispatcher'].url, 'POST', '/api/v1/webhook-targets', {
      headers: asOwner,
      json: {
        url: receiver.endpoint(),
        eventTypes: ['customer.customer_created'],
        description: 'owner target',
      },
    });
    params.targetId = target.body.data.id;
    params.externalId = uniqueExternalId('victim');
    const customer = await send(apps.gateway.url, 'PUT', `/api/v1/customers/${params.externalId}`, {
      headers: asOwner,
      json: { email: `${params.externalId}@example.com`, fullName: 'Victim' },
    });
    const event = await send(apps.gateway.url, 'POST', '/api/v1/customer-events', {
      headers: asOwner,
      json: {
        customerExternalId: params.externalId,
        type: 'order.placed',
        payload: { secret: 'owner-only' },
      },
    });
    params.deliveryId = await eventually(async () => {
      const list = await send(
        apps['webhook-dispatcher'].url,
        'GET',
        `/api/v1/webhook-targets/${params.targetId}/deliveries`,
        { headers: asOwner },
      );
      expect(list.body.data.items).toHaveLength(1);
      return list.body.data.items[0].id as string;
    }, 30_000);
    await eventually(async () => {
      const page = await send(apps.projector.url, 'GET', `/api/v1/customers/${params.externalId}/timeline`, {
        headers: asOwner,
      });
      expect(page.body.data.items).toHaveLength(2);
    }, 30_000);
    secrets = [
      owner.workspaceId,
      customer.body.data.id,
      event.body.data.id,
      params.targetId,
      params.deliveryId,
      `${params.externalId}@example.com`,
      'owner-only',
      'owner target',
    ];
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app?.stop()));
    await receiver?.close();
  });

  async function workspaceName(workspaceId: string): Promise<string> {
    const db = await openDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 1,
      applicationName: 'jest-ws',
    });
    try {
      return (await new WorkspacesRepository(db).findById(workspaceId))!.name;
    } finally {
      await db.destroy();
    }
  }

  it('discovers the routes of all three apps, and every route under /api is a /api/v1 route', () => {
    const table = apiRoutes().map((r) => `${r.app} ${r.method} ${r.url}`);
    process.stdout.write(`hostile-auth-matrix: ${table.length} API routes\n  ${table.join('\n  ')}\n`);
    for (const app of ['gateway', 'projector', 'webhook-dispatcher'] as const)
      expect(apiRoutes().filter((r) => r.app === app).length).toBeGreaterThan(0);
    expect(apiRoutes().filter((r) => !r.url.startsWith('/api/v1/'))).toEqual([]);
    expect(table).toEqual(
      expect.arrayContaining([
        'gateway POST /api/v1/customer-events',
        'gateway PUT /api/v1/customers/:externalId',
        'projector GET /api/v1/customers/:externalId/timeline',
        'webhook-dispatcher POST /api/v1/webhook-deliveries/:deliveryId/retry',
      ]),
    );
    const open = routes.filter((r) => !r.url.startsWith('/api/')).map((r) => `${r.app} ${r.method} ${r.url}`);
    process.stdout.write(`  public (outside /api): ${[...new Set(open)].join(', ')}\n`);
  });

  it('a missing, malformed or revoked key is a 401 UNAUTHORIZED on every route', async () => {
    const { machineUserId } = parseApiKey(owner.apiKey)!;
    const malformed = [
      'garbage',
      'sdk_',
      `Bearer ${owner.apiKey}`,
      `${owner.apiKey}x`,
      owner.apiKey.slice(0, -1),
      owner.apiKey.toUpperCase(),
      // The owner's machine user id with another secret of the right shape.
      generateApiKey(machineUserId).apiKey,
      // A well-formed key of nobody.
      generateApiKey(newId('mu')).apiKey,
    ];
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const cases: Array<[string, Record<string, string>]> = [
        ['no key', {}],
        ['revoked', { 'x-api-key': revokedKey }],
        ...malformed.map((key, i): [string, Record<string, string>] => [
          `malformed #${i}`,
          { 'x-api-key': key },
        ]),
      ];
      for (const [name, headers] of cases) {
        const answer = await call(route, headers);
        const ok =
          answer.status === 401 && (route.method === 'HEAD' || answer.body?.error?.code === 'UNAUTHORIZED');
        if (!ok)
          failures.push(
            `${route.app} ${route.method} ${route.url} with ${name}: ${answer.status} ${answer.text.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it("another workspace's key gets 404 (or 401) for this workspace's resources, and never their data", async () => {
    const failures: string[] = [];
    // Upserts last: PUT creates the intruder's own customer under the same externalId, which is its right.
    const ordered = [...apiRoutes()].sort((a, b) => Number(a.method === 'PUT') - Number(b.method === 'PUT'));
    for (const route of ordered) {
      const answer = await call(route, { 'x-api-key': intruder.apiKey });
      const label = `${route.app} ${route.method} ${route.url}: ${answer.status} ${answer.text.slice(0, 160)}`;
      const leaked = secrets.filter((s) => answer.text.includes(s));
      if (leaked.length > 0) failures.push(`${label} leaks ${leaked.join(', ')}`);
      const namesAResource =
        /:(targetId|deliveryId)/.test(route.url) || (/:externalId/.test(route.url) && route.method !== 'PUT');
      if (namesAResource && ![401, 404].includes(answer.status)) failures.push(`${label} is not a 404`);
    }
    expect(failures).toEqual([]);
    // And nothing of workspace A changed.
    const asOwner = { 'x-api-key': owner.apiKey };
    const customer = await send(apps.gateway.url, 'GET', `/api/v1/customers/${params.externalId}`, {
      headers: asOwner,
    });
    expect(customer.body.data).toMatchObject({ fullName: 'Victim', markedAsSpamAt: null });
    const target = await send(
      apps['webhook-dispatcher'].url,
      'GET',
      `/api/v1/webhook-targets/${params.targetId}`,
      { headers: asOwner },
    );
    expect(target.body.data).toMatchObject({ description: 'owner target', enabled: true });
    const delivery = await send(
      apps['webhook-dispatcher'].url,
      'GET',
      `/api/v1/webhook-deliveries/${params.deliveryId}`,
      { headers: asOwner },
    );
    expect(delivery.body.data.attempts).toHaveLength(1);
  });

  it("the owner's key opens every readable route of the table (the matrix above is not vacuous)", async () => {
    const failures: string[] = [];
    for (const route of apiRoutes().filter((r) => r.method === 'GET')) {
      const answer = await call(route, { 'x-api-key': owner.apiKey });
      if (answer.status !== 200)
        failures.push(`${route.app} GET ${route.url}: ${answer.status} ${answer.text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  });

  it('a key revoked while in use is refused by every app within the verification cache TTL (5 s)', async () => {
    const key = await createApiKey(await workspaceName(owner.workspaceId));
    const probes: Array<[AppProcess, string]> = [
      [apps.gateway, `/api/v1/customers/${params.externalId}`],
      [apps.projector, `/api/v1/customers/${params.externalId}/timeline`],
      [apps['webhook-dispatcher'], `/api/v1/webhook-targets/${params.targetId}`],
    ];
    for (const [app, path] of probes)
      expect((await send(app.url, 'GET', path, { headers: { 'x-api-key': key.apiKey } })).status).toBe(200);
    const revokedAt = Date.now();
    await revoke(key.apiKeyId);
    await eventually(
      async () => {
        for (const [app, path] of probes)
          expect((await send(app.url, 'GET', path, { headers: { 'x-api-key': key.apiKey } })).status).toBe(
            401,
          );
      },
      15_000,
      250,
    );
    process.stdout.write(
      `hostile-auth-matrix: revocation effective everywhere after ${Date.now() - revokedAt} ms\n`,
    );
  });
});

describe('API keys are compared in constant time', () => {
  // The module object itself (what the compiled api-key.ts calls through), not an import namespace copy.
  const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');

  it('a presented secret is hashed and compared with timingSafeEqual over two equal-length digests, whatever its length', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      const { apiKey, secretHash } = generateApiKey(newId('mu'));
      const { secret } = parseApiKey(apiKey)!;
      const wrongFirst = `x${secret.slice(1)}`;
      const wrongLast = `${secret.slice(0, -1)}x`;
      for (const candidate of [secret, wrongFirst, wrongLast, 'short', secret.repeat(10)]) {
        spy.mockClear();
        const matched = secretMatches(candidate, secretHash);
        expect(matched).toBe(candidate === secret);
        // One constant-time comparison of two 32-byte SHA-256 digests: where the secrets first differ, and
        // how long the presented one is, change nothing in the work done.
        expect(spy).toHaveBeenCalledTimes(1);
        const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
        expect([a.length, b.length]).toEqual([32, 32]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('the service checks a well-formed key only through that comparison (no early exit on the secret)', async () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    const db = await openDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 1,
      applicationName: 'jest-ct',
    });
    try {
      const sut = new ApiKeysService(new ApiKeysRepository(db), new WorkspacesRepository(db));
      const created = await sut.create(`ct-${newId('w')}`);
      const { machineUserId, secret } = parseApiKey(created.apiKey)!;
      spy.mockClear();
      expect(await sut.authenticate(`sdk_${machineUserId}_${'A'.repeat(43)}`)).toBeUndefined();
      expect(
        await sut.authenticate(
          `sdk_${machineUserId}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`,
        ),
      ).toBeUndefined();
      expect(await sut.authenticate(created.apiKey)).toMatchObject({ workspaceId: created.workspaceId });
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
      await db.destroy();
    }
  });
});
