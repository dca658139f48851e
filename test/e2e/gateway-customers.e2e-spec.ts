import { TOPICS } from '@app/contracts';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { expectError, postBatch, postEvent, TopicReader } from './gateway-helpers';

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('gateway /api/v1/customers/{externalId}', () => {
  let gateway: AppProcess;
  let changes: TopicReader;
  let apiKey: string;
  let apiKeyId: string;
  let externalId: string;

  beforeAll(async () => {
    [gateway, changes] = await Promise.all([
      AppProcess.start('gateway'),
      new TopicReader(TOPICS.customerChanges).start(),
    ]);
    ({ apiKey, apiKeyId } = await createApiKey());
  });

  beforeEach(() => {
    externalId = uniqueExternalId();
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), changes?.stop()]);
  });

  const call = (method: string, suffix = '', body?: unknown, key = apiKey, id = externalId) =>
    request(gateway.url, method, `/api/v1/customers/${encodeURIComponent(id)}${suffix}`, {
      apiKey: key,
      body,
    });
  const put = (body: object, key?: string, id?: string) => call('PUT', '', body, key, id);
  const peter = (extra: object = {}) => ({
    email: `${externalId}@example.com`,
    fullName: 'Peter Santos',
    shortName: 'Peter',
    ...extra,
  });
  const changesOf = (customerId: string) => changes.where((v) => v.customerId === customerId);
  const waitForVersion = (customerId: string, version: number) =>
    eventually(() => {
      const found = changesOf(customerId).filter((r) => r.value.version === version);
      expect(found).toHaveLength(1);
      return found[0];
    });

  it("creates a customer with 201 in Plain's customer shape and publishes customer_created, version 1", async () => {
    const response = await put(peter());

    expect(response.status).toBe(201);
    const actor = { actorType: 'machineUser', machineUserId: apiKeyId };
    const customer = response.body.data;
    expect(customer).toEqual({
      id: expect.stringMatching(/^c_[0-9A-HJKMNP-TV-Z]{26}$/),
      externalId,
      email: { email: `${externalId}@example.com`, isVerified: false, verifiedAt: null },
      fullName: 'Peter Santos',
      shortName: 'Peter',
      markedAsSpamAt: null,
      markedAsSpamBy: null,
      customerGroupMemberships: [],
      createdAt: expect.stringMatching(ISO_MS_UTC),
      createdBy: actor,
      updatedAt: customer.createdAt,
      updatedBy: actor,
    });
    const record = await waitForVersion(customer.id, 1);
    expect(record.key).toBe(customer.id);
    expect(record.value).toEqual({
      id: expect.stringMatching(/^pEv_[0-9A-HJKMNP-TV-Z]{26}$/),
      type: 'customer.customer_created',
      workspaceId: expect.stringMatching(/^w_/),
      customerId: customer.id,
      version: 1,
      customer,
      previousCustomer: null,
      actor,
      occurredAt: customer.createdAt,
    });
  });

  it('updates with PUT (200), emits nothing for a PUT that changes nothing, and reads back with GET', async () => {
    const created = (await put(peter())).body.data;

    const updated = await put(peter({ fullName: 'Peter Q. Santos', emailVerified: true }));
    const unchanged = await put(peter({ fullName: 'Peter Q. Santos', emailVerified: true }));
    const patched = await call('PATCH', '', { shortName: null });
    const read = await call('GET');

    expect([updated.status, unchanged.status, patched.status, read.status]).toEqual([200, 200, 200, 200]);
    expect(updated.body.data).toMatchObject({
      id: created.id,
      fullName: 'Peter Q. Santos',
      email: { isVerified: true, verifiedAt: expect.stringMatching(ISO_MS_UTC) },
    });
    expect(unchanged.body.data).toEqual(updated.body.data);
    expect(read.body.data).toEqual({ ...updated.body.data, shortName: null, updatedAt: expect.any(String) });
    const third = await waitForVersion(created.id, 3);
    // Versions 1, 2, 3 and nothing else: the unchanged PUT published no event.
    expect(changesOf(created.id).map((r) => [r.value.version, r.value.type])).toEqual([
      [1, 'customer.customer_created'],
      [2, 'customer.customer_updated'],
      [3, 'customer.customer_updated'],
    ]);
    expect(third.value.previousCustomer).toEqual(updated.body.data);
    expect(third.value.customer).toEqual(read.body.data);
  });

  it('marks and unmarks as spam, each a customer_updated with the state before as previousCustomer', async () => {
    const created = (await put(peter())).body.data;

    const marked = await call('POST', '/mark-as-spam');
    const unmarked = await call('POST', '/unmark-as-spam');

    expect(marked.status).toBe(200);
    expect(marked.body.data.markedAsSpamAt).toMatch(ISO_MS_UTC);
    expect(marked.body.data.markedAsSpamBy).toEqual({ actorType: 'machineUser', machineUserId: apiKeyId });
    expect(unmarked.status).toBe(200);
    expect(unmarked.body.data).toMatchObject({ markedAsSpamAt: null, markedAsSpamBy: null });
    const [two, three] = [await waitForVersion(created.id, 2), await waitForVersion(created.id, 3)];
    expect(two.value).toMatchObject({ previousCustomer: created, customer: marked.body.data });
    expect(three.value).toMatchObject({ previousCustomer: marked.body.data, customer: unmarked.body.data });
  });

  it('deletes with 200 and the deleted customer, publishes customer_deleted, and forgets the customer', async () => {
    const created = (await put(peter())).body.data;
    // Cached by this replica now; the very next event request after the delete must still be a 404.
    await postEvent(gateway.url, apiKey, { customerExternalId: externalId, type: 'order.placed' });

    const deleted = await call('DELETE');

    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual(created);
    expectError(await call('GET'), 404, 'CUSTOMER_NOT_FOUND', 'externalId');
    expectError(
      await postEvent(gateway.url, apiKey, { customerExternalId: externalId, type: 'order.placed' }),
      404,
      'CUSTOMER_NOT_FOUND',
    );
    const record = await waitForVersion(created.id, 2);
    expect(record.value).toMatchObject({
      type: 'customer.customer_deleted',
      customer: null,
      previousCustomer: created,
    });
  });

  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['POST', '/mark-as-spam'],
    ['POST', '/unmark-as-spam'],
    ['DELETE', ''],
  ])('answers %s%s of an unknown customer with 404 CUSTOMER_NOT_FOUND', async (method, suffix) => {
    const response = await call(method, suffix, method === 'PATCH' ? { fullName: 'X' } : undefined);

    expectError(response, 404, 'CUSTOMER_NOT_FOUND', 'externalId');
  });

  it('keeps emails unique per workspace, ignoring case: 409 CONFLICT on PUT and PATCH', async () => {
    await put(peter());
    const email = `${externalId}@example.com`;
    const otherId = uniqueExternalId();
    await put({ email: `${otherId}@example.com`, fullName: 'Other' }, apiKey, otherId);
    const elsewhere = await createApiKey();

    const taken = await put({ email: email.toUpperCase(), fullName: 'Copy' }, apiKey, uniqueExternalId());
    const patched = await call('PATCH', '', { email }, apiKey, otherId);
    const otherWorkspace = await put({ email, fullName: 'Same email, other workspace' }, elsewhere.apiKey);

    expectError(taken, 409, 'CONFLICT', 'email');
    expectError(patched, 409, 'CONFLICT', 'email');
    expect(otherWorkspace.status).toBe(201);
  });

  it.each([
    ['PUT without email', 'PUT', { fullName: 'Peter' }, 'email'],
    ['PUT with a malformed email', 'PUT', { email: 'peter', fullName: 'Peter' }, 'email'],
    ['PUT with an unknown field', 'PUT', { email: 'p@example.com', fullName: 'P', phone: '1' }, 'phone'],
    ['PATCH with fullName null', 'PATCH', { fullName: null }, 'fullName'],
    ['PATCH with emailVerified not a boolean', 'PATCH', { emailVerified: 'yes' }, 'emailVerified'],
  ])('refuses a %s with 400', async (_, method, body, field) => {
    await put(peter());

    expectError(await call(method, '', body), 400, 'VALIDATION_ERROR', field);
  });

  it('refuses an externalId over 255 characters with 400', async () => {
    expectError(
      await call('GET', '', undefined, apiKey, 'x'.repeat(256)),
      400,
      'VALIDATION_ERROR',
      'externalId',
    );
  });

  it('refuses every customers route without a valid key with 401', async () => {
    for (const [method, suffix] of [
      ['GET', ''],
      ['PUT', ''],
      ['PATCH', ''],
      ['POST', '/mark-as-spam'],
      ['DELETE', ''],
    ]) {
      expectError(
        await call(method, suffix, method.startsWith('P') ? peter() : undefined, 'bad'),
        401,
        'UNAUTHORIZED',
      );
    }
  });

  describe('tenant isolation', () => {
    it("gives a key of workspace A 404, never 403, for workspace B's customer, and leaves it untouched", async () => {
      const b = await createApiKey();
      const theirs = (await put(peter(), b.apiKey)).body.data;

      const attempts = await Promise.all([
        call('GET', ''),
        call('PATCH', '', { fullName: 'Hijacked' }),
        call('POST', '/mark-as-spam'),
        call('POST', '/unmark-as-spam'),
        call('DELETE'),
        postEvent(gateway.url, apiKey, { customerExternalId: externalId, type: 'order.placed' }),
      ]);
      const inBatch = await postBatch(gateway.url, apiKey, {
        events: [{ customerExternalId: externalId, type: 'order.placed' }],
      });

      for (const attempt of attempts) expectError(attempt, 404, 'CUSTOMER_NOT_FOUND');
      expect(inBatch.body.data.results[0].error.code).toBe('CUSTOMER_NOT_FOUND');
      expect((await call('GET', '', undefined, b.apiKey)).body.data).toEqual(theirs);
    });

    it("lets workspace A create its own customer under B's externalId without touching B's", async () => {
      const b = await createApiKey();
      const theirs = (await put(peter(), b.apiKey)).body.data;

      const mine = await put(peter({ fullName: 'Mine' }));

      expect(mine.status).toBe(201);
      expect(mine.body.data.id).not.toBe(theirs.id);
      expect((await call('GET', '', undefined, b.apiKey)).body.data).toEqual(theirs);
    });
  });

  describe('the customer cache across replicas', () => {
    let replica: AppProcess;

    beforeAll(async () => {
      replica = await AppProcess.start('gateway');
    });

    afterAll(async () => {
      await replica?.stop();
    });

    it('answers 404 to event requests on another replica within 1 s of a delete, and from then on', async () => {
      await put(peter());
      const event = { customerExternalId: externalId, type: 'order.placed' };
      // Warm the other replica's cache with the customer.
      for (let i = 0; i < 3; i++) expect((await postEvent(replica.url, apiKey, event)).status).toBe(201);

      expect((await call('DELETE')).status).toBe(200);
      await eventually(
        async () => expectError(await postEvent(replica.url, apiKey, event), 404, 'CUSTOMER_NOT_FOUND'),
        1000,
        20,
      );

      for (let i = 0; i < 5; i++) {
        expectError(await postEvent(replica.url, apiKey, event), 404, 'CUSTOMER_NOT_FOUND');
      }
    });

    it('resolves a customer created again after a delete to its new id on every replica', async () => {
      await put(peter());
      const event = { customerExternalId: externalId, type: 'order.placed' };
      await postEvent(replica.url, apiKey, event);
      await call('DELETE');

      const recreated = (await put(peter())).body.data;
      const accepted = await postEvent(replica.url, apiKey, event);

      expect(accepted.status).toBe(201);
      expect(accepted.body.data.customerId).toBe(recreated.id);
    });
  });
});
