import { TOPICS } from '@app/contracts';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { createCustomer, drain, expectError, postEvent, sql, TopicReader } from './gateway-helpers';

describe('gateway Idempotency-Key on POST /api/v1/customer-events', () => {
  let gateway: AppProcess;
  let topic: TopicReader;
  let apiKey: string;
  let workspaceId: string;
  let externalId: string;

  beforeAll(async () => {
    [gateway, topic] = await Promise.all([
      // A short wait keeps the "still in flight" case quick; the default is 5 s.
      AppProcess.start('gateway', { IDEMPOTENCY_WAIT_MS: '2000' }),
      new TopicReader(TOPICS.customerEvents).start(),
    ]);
    ({ apiKey, workspaceId } = await createApiKey());
  });

  beforeEach(async () => {
    externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), topic?.stop()]);
  });

  const event = (extra: object = {}) => ({
    customerExternalId: externalId,
    type: 'order.placed',
    payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
    ...extra,
  });
  const post = (key: string, body: unknown = event(), key2 = apiKey) =>
    postEvent(gateway.url, key2, body, { 'Idempotency-Key': key });
  const published = (id: string) => topic.where((v) => v.id === id);
  const newKey = () => `key-${uniqueExternalId()}`;

  it('answers a retry with the same key and body exactly as the first time, and publishes the event once', async () => {
    const key = newKey();
    const first = await post(key);
    const retry = await post(key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.data).toEqual(first.body.data);
    await drain(gateway.url, apiKey, externalId, topic);
    expect(published(first.body.data.id)).toHaveLength(1);
  });

  it('stores the event once when ten requests with the same key race', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(key)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const ids = new Set(answers.map((a) => a.body.data.id));
    expect(ids.size).toBe(1);
    await drain(gateway.url, apiKey, externalId, topic);
    expect(published([...ids][0])).toHaveLength(1);
  });

  it('refuses the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, and publishes nothing more', async () => {
    const key = newKey();
    const first = await post(key);
    const reused = await post(key, event({ type: 'order.cancelled' }));

    expect(first.status).toBe(201);
    expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key');
    await drain(gateway.url, apiKey, externalId, topic);
    expect(topic.where((v) => v.customerExternalId === externalId && v.type === 'order.cancelled')).toEqual(
      [],
    );
  });

  it('counts key order, an omitted payload vs {} and one instant in two offsets as the same body', async () => {
    const key = newKey();
    const first = await post(key, {
      type: 'trial.started',
      customerExternalId: externalId,
      occurredAt: '2026-04-18T12:00:00+02:00',
    });
    const same = await post(key, {
      customerExternalId: externalId,
      occurredAt: '2026-04-18T10:00:00Z',
      payload: {},
      type: 'trial.started',
    });

    expect(same.status).toBe(201);
    expect(same.body.data.id).toBe(first.body.data.id);
  });

  it('keeps keys apart per workspace', async () => {
    const other = await createApiKey();
    await createCustomer(gateway.url, other.apiKey, externalId);
    const key = newKey();

    const mine = await post(key);
    const theirs = await post(key, event(), other.apiKey);

    expect(theirs.status).toBe(201);
    expect(theirs.body.data.id).not.toBe(mine.body.data.id);
    expect(theirs.body.data.customerId).not.toBe(mine.body.data.customerId);
  });

  it('does not use up a key on a refused request: the retry after fixing the cause is accepted', async () => {
    const key = newKey();
    const missing = uniqueExternalId();

    const before = await post(key, event({ customerExternalId: missing }));
    await createCustomer(gateway.url, apiKey, missing);
    const after = await post(key, event({ customerExternalId: missing }));

    expectError(before, 404, 'CUSTOMER_NOT_FOUND');
    expect(after.status).toBe(201);
  });

  describe('when another request holds the key', () => {
    // These simulate another replica's request by setting the key's row the way that request would leave it.
    const setRow = (key: string, assignments: string) =>
      sql(`UPDATE idempotency_keys SET ${assignments} WHERE workspace_id = $1 AND key = $2`, [
        workspaceId,
        key,
      ]);

    it('waits for it to complete and answers as it did', async () => {
      const key = newKey();
      const first = await post(key);
      await setRow(key, `status = 'in_flight', claimed_at = now()`);

      const waiting = post(key);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await setRow(key, `status = 'completed'`);
      const answer = await waiting;

      expect(answer.status).toBe(201);
      expect(answer.body.data).toEqual(first.body.data);
    });

    it('answers 409 CONFLICT when it is still in flight after the wait', async () => {
      const key = newKey();
      await post(key);
      await setRow(key, `status = 'in_flight', claimed_at = now()`);

      const answer = await post(key);

      expectError(answer, 409, 'CONFLICT', 'Idempotency-Key');
    });

    it('takes over a claim abandoned by a crashed request and re-publishes the very same event', async () => {
      const key = newKey();
      const first = await post(key);
      // As if the owner crashed after the broker acknowledged but before marking the key completed.
      await setRow(key, `status = 'in_flight', claimed_at = now() - interval '5 minutes'`);

      const retry = await post(key);

      expect(retry.status).toBe(201);
      expect(retry.body.data).toEqual(first.body.data);
      await eventually(() => expect(published(first.body.data.id)).toHaveLength(2));
      expect(published(first.body.data.id)[1].value).toEqual(published(first.body.data.id)[0].value);
      const [row] = await sql(`SELECT status FROM idempotency_keys WHERE workspace_id = $1 AND key = $2`, [
        workspaceId,
        key,
      ]);
      expect(row.status).toBe('completed');
    });

    it('treats a key first used more than 24 hours ago as a new key', async () => {
      const key = newKey();
      const first = await post(key);
      await setRow(key, `created_at = now() - interval '25 hours'`);

      const later = await post(key, event({ type: 'order.cancelled' }));

      expect(later.status).toBe(201);
      expect(later.body.data.id).not.toBe(first.body.data.id);
    });
  });
});
