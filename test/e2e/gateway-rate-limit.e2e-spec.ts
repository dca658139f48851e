import { AppProcess } from '@test/support/app-process';
import { sleep } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { createCustomer, expectError, postBatch, postEvent } from './gateway-helpers';

const rateHeaders = (response: { headers: Headers }) => ({
  limit: response.headers.get('ratelimit-limit'),
  remaining: response.headers.get('ratelimit-remaining'),
  reset: response.headers.get('ratelimit-reset'),
});

describe('gateway per-key rate limit on the event endpoints', () => {
  let limited: AppProcess;
  let unlimited: AppProcess;

  beforeAll(async () => {
    [limited, unlimited] = await Promise.all([
      AppProcess.start('gateway', { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' }),
      AppProcess.start('gateway'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([limited?.stop(), unlimited?.stop()]);
  });

  async function keyWithCustomer() {
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId();
    await createCustomer(limited.url, apiKey, externalId);
    return { apiKey, event: { customerExternalId: externalId, type: 'order.placed' } };
  }

  it('lets a key send its burst with RateLimit headers, then answers 429 RATE_LIMITED with Retry-After', async () => {
    const { apiKey, event } = await keyWithCustomer();

    const burst = [];
    for (let i = 0; i < 3; i++) burst.push(await postEvent(limited.url, apiKey, event));
    const over = await postEvent(limited.url, apiKey, event);

    expect(burst.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(burst.map((r) => rateHeaders(r).limit)).toEqual(['3', '3', '3']);
    expect(burst.map((r) => rateHeaders(r).remaining)).toEqual(['2', '1', '0']);
    expect(Number(rateHeaders(burst[2]).reset)).toBeGreaterThanOrEqual(1);
    expectError(over, 429, 'RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rateHeaders(over)).toMatchObject({ limit: '3', remaining: '0' });
  });

  it('counts the batch endpoint against the same bucket', async () => {
    const { apiKey, event } = await keyWithCustomer();
    for (let i = 0; i < 3; i++) await postEvent(limited.url, apiKey, event);

    expectError(await postBatch(limited.url, apiKey, { events: [event] }), 429, 'RATE_LIMITED');
  });

  it('counts a batch as one token per event, with the same RateLimit headers as the single endpoint', async () => {
    const { apiKey, event } = await keyWithCustomer();

    const two = await postBatch(limited.url, apiKey, { events: [event, event] });

    expect(two.status).toBe(200);
    expect(two.body.data.accepted).toBe(2);
    expect(rateHeaders(two)).toMatchObject({ limit: '3', remaining: '1' });
    expect(Number(rateHeaders(two).reset)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a whole batch costing more tokens than are left (429, Retry-After), taking none', async () => {
    const { apiKey, event } = await keyWithCustomer();
    await postEvent(limited.url, apiKey, event);

    const over = await postBatch(limited.url, apiKey, { events: [event, event, event] });

    expectError(over, 429, 'RATE_LIMITED');
    expect(over.body.error.message).toMatch(/batch costs 3 tokens and 2 are left/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rateHeaders(over)).toMatchObject({ limit: '3', remaining: '2' });
    // Nothing was taken: the two tokens left still pay for two events.
    const fits = await postBatch(limited.url, apiKey, { events: [event, event] });
    expect(fits.status).toBe(200);
    expect(fits.body.data.accepted).toBe(2);
  });

  it('refuses a batch of more events than the burst, saying so (it could never pass)', async () => {
    const { apiKey, event } = await keyWithCustomer();

    const tooBig = await postBatch(limited.url, apiKey, { events: [event, event, event, event] });

    expectError(tooBig, 429, 'RATE_LIMITED');
    expect(tooBig.body.error.message).toMatch(/more than the burst of 3/);
    expect((await postEvent(limited.url, apiKey, event)).status).toBe(201);
  });

  it('limits each key on its own', async () => {
    const first = await keyWithCustomer();
    const second = await keyWithCustomer();
    for (let i = 0; i < 4; i++) await postEvent(limited.url, first.apiKey, first.event);

    expect((await postEvent(limited.url, second.apiKey, second.event)).status).toBe(201);
  });

  it('accepts again once Retry-After has passed', async () => {
    const { apiKey, event } = await keyWithCustomer();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await postEvent(limited.url, apiKey, event));
    const over = answers[3];
    expect(over.status).toBe(429);

    await sleep(Number(over.headers.get('retry-after')) * 1000);

    expect((await postEvent(limited.url, apiKey, event)).status).toBe(201);
  });

  it('leaves the customers routes unlimited', async () => {
    const { apiKey, event } = await keyWithCustomer();
    for (let i = 0; i < 4; i++) await postEvent(limited.url, apiKey, event);

    const put = await createCustomer(limited.url, apiKey, uniqueExternalId());

    expect(put.id).toMatch(/^c_/);
  });

  it('is off by default: no 429 and no RateLimit headers', async () => {
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId();
    await createCustomer(unlimited.url, apiKey, externalId);

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        postEvent(unlimited.url, apiKey, { customerExternalId: externalId, type: 'order.placed' }),
      ),
    );

    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(answers.map((a) => rateHeaders(a).limit).filter(Boolean)).toEqual([]);
  });
});
