import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { postEvents, SseClient, timelineHolds } from './ui-support';

describe('projector read API for the viewer: customer profile and live timeline stream', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  let otherKey: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    [gateway, projector] = await Promise.all([AppProcess.start('gateway'), AppProcess.start('projector')]);
    [{ apiKey }, { apiKey: otherKey }] = await Promise.all([createApiKey(), createApiKey()]);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  async function createCustomer(key = apiKey, externalId = uniqueExternalId()): Promise<string> {
    const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey: key,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    if (put.status !== 201) throw new Error(`customer not created: ${JSON.stringify(put.body)}`);
    await timelineHolds(projector.url, key, externalId, 1);
    return externalId;
  }

  async function openStream(externalId: string, headers: Record<string, string> = {}, key = apiKey) {
    const stream = await SseClient.open(`${projector.url}/api/v1/customers/${externalId}/timeline/stream`, {
      'X-API-Key': key,
      ...headers,
    });
    streams.push(stream);
    return stream;
  }

  const itemIds = (stream: SseClient) => stream.items().map((item) => item.id);

  it("serves a customer's profile from the directory, and CUSTOMER_NOT_FOUND outside its workspace", async () => {
    const externalId = await createCustomer();
    await request(gateway.url, 'POST', `/api/v1/customers/${externalId}/mark-as-spam`, { apiKey });

    const profile = await eventually(async () => {
      const read = await request(projector.url, 'GET', `/api/v1/customers/${externalId}`, { apiKey });
      expect(read.status).toBe(200);
      expect(read.body.data.markedAsSpamAt).not.toBeNull();
      return read.body.data;
    });
    expect(profile).toMatchObject({
      externalId,
      fullName: 'Peter Santos',
      email: { email: `${externalId}@example.com`, isVerified: false },
      markedAsSpamBy: { actorType: 'machineUser', machineUserId: expect.stringMatching(/^mu_/) },
    });

    for (const [key, id] of [
      [otherKey, externalId],
      [apiKey, uniqueExternalId()],
    ]) {
      const missing = await request(projector.url, 'GET', `/api/v1/customers/${id}`, { apiKey: key });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    }
    const anonymous = await request(projector.url, 'GET', `/api/v1/customers/${externalId}`);
    expect(anonymous.status).toBe(401);
  });

  it('answers a stream it cannot open with the error envelope: 401, 404 for another workspace, 400 for a bad Last-Event-ID', async () => {
    const externalId = await createCustomer();

    const anonymous = await SseClient.open(
      `${projector.url}/api/v1/customers/${externalId}/timeline/stream`,
      {},
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');

    const foreign = await openStream(externalId, {}, otherKey);
    expect(foreign.status).toBe(404);
    expect((foreign as SseClient & { body: any }).body.error.code).toBe('CUSTOMER_NOT_FOUND');

    const tampered = await openStream(externalId, { 'Last-Event-ID': 'not-an-event-id!' });
    expect(tampered.status).toBe(400);
    expect((tampered as SseClient & { body: any }).body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'Last-Event-ID', message: expect.any(String) }],
    });
  });

  it("sends each of the customer's new items once as it lands, and nothing of other customers or workspaces", async () => {
    const externalId = await createCustomer();
    const neighbour = await createCustomer();
    const twinInOtherWorkspace = await createCustomer(otherKey, externalId);
    const stream = await openStream(externalId);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ready = await stream.waitFor((e) => e.event === 'ready');
    expect(ready.data).toEqual({ externalId, customerId: expect.stringMatching(/^c_/) });

    const foreign = [
      ...(await postEvents(gateway.url, apiKey, [{ customerExternalId: neighbour, type: 'order.placed' }])),
      ...(await postEvents(gateway.url, otherKey, [
        { customerExternalId: twinInOtherWorkspace, type: 'order.placed' },
      ])),
    ];
    const mine = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'order.placed', payload: { orderId: 'ord_1' } },
      { customerExternalId: externalId, type: 'order.shipped', occurredAt: '2025-01-01T00:00:00Z' },
    ]);
    await eventually(() => expect(itemIds(stream)).toEqual(expect.arrayContaining(mine.map((e) => e.id))));
    // The foreign items are projected by now; one more own item after them proves nothing of theirs follows.
    await timelineHolds(projector.url, apiKey, neighbour, 2);
    await timelineHolds(projector.url, otherKey, twinInOtherWorkspace, 2);
    const [last] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'note.added' },
    ]);
    await eventually(() => expect(itemIds(stream)).toContain(last.id));

    expect(itemIds(stream).sort()).toEqual([...mine, last].map((e) => e.id).sort());
    expect(itemIds(stream)).not.toEqual(expect.arrayContaining([foreign[0].id]));
    expect(stream.items().find((item) => item.id === mine[0].id)).toEqual({
      id: mine[0].id,
      type: 'order.placed',
      title: null,
      payload: { orderId: 'ord_1' },
      occurredAt: mine[0].occurredAt,
      createdAt: mine[0].createdAt,
    });
    expect(stream.events.filter((e) => e.event === 'item').every((e) => typeof e.id === 'string')).toBe(true);
  });

  it('resumes after Last-Event-ID: sends what landed while the client was away, and nothing it already had', async () => {
    const externalId = await createCustomer();
    const first = await openStream(externalId);
    await first.waitFor((e) => e.event === 'ready');
    const [seen] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'order.placed' },
    ]);
    const seenEvent = await first.waitFor((e) => e.event === 'item' && e.data.id === seen.id);
    first.close();

    const missed = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'order.shipped' },
      { customerExternalId: externalId, type: 'order.delivered' },
    ]);
    await timelineHolds(projector.url, apiKey, externalId, 4);

    const resumed = await openStream(externalId, { 'Last-Event-ID': seenEvent.id! });
    await resumed.waitFor((e) => e.event === 'ready');
    expect(itemIds(resumed).sort()).toEqual(missed.map((e) => e.id).sort());
    const [later] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'note.added' },
    ]);
    await eventually(() => expect(itemIds(resumed)).toHaveLength(3));
    expect(itemIds(resumed)[2]).toBe(later.id);
  });

  // Last: it stops the projector.
  it('ends open streams on SIGTERM, so the projector still shuts down cleanly (exit 0)', async () => {
    const externalId = await createCustomer();
    const stream = await openStream(externalId);
    await stream.waitFor((e) => e.event === 'ready');
    expect(await projector.stop('SIGTERM')).toBe(0);
    await eventually(() => expect(stream.hasEnded).toBe(true), 5000);
  });
});
