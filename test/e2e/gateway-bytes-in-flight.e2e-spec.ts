import { AppProcess } from '@test/support/app-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { slowPost } from '@test/support/slow-request';
import { createCustomer, expectError, postBatch } from './gateway-helpers';

const BOUND = 1_000_000;

describe('gateway bound on request bytes in flight (GATEWAY_MAX_REQUEST_BYTES_IN_FLIGHT)', () => {
  let gateway: AppProcess;

  beforeAll(async () => {
    gateway = await AppProcess.start('gateway', { GATEWAY_MAX_REQUEST_BYTES_IN_FLIGHT: String(BOUND) });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  /** A batch of `count` events whose serialised body is about `count` × 430 bytes. */
  function batchOf(externalId: string, count: number) {
    return {
      events: Array.from({ length: count }, (_, n) => ({
        customerExternalId: externalId,
        type: 'bulk.imported',
        payload: { n, pad: 'x'.repeat(360) },
      })),
    };
  }

  it('answers 503 with Retry-After past the bound, before reading the body, and accepts again once bytes are released', async () => {
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
    const headers = { 'x-api-key': apiKey };
    const body = batchOf(externalId, 1000);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(BOUND * 0.4);

    // Two large batches are being received (half their body on the wire): together they hold over 80 % of the bound.
    const first = slowPost(`${gateway.url}/api/v1/customer-events/batch`, headers, body);
    const second = slowPost(`${gateway.url}/api/v1/customer-events/batch`, headers, body);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const refused = await postBatch(gateway.url, apiKey, body);
    expectError(refused, 503, 'SERVICE_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A small request still fits beside them.
    const small = await postBatch(gateway.url, apiKey, batchOf(externalId, 1));
    expect(small.status).toBe(200);

    first.finish();
    second.finish();
    const answers = await Promise.all([first.response, second.response]);
    expect(answers.map((a) => [a.status, a.body.data?.accepted])).toEqual([
      [200, 1000],
      [200, 1000],
    ]);

    const retried = await postBatch(gateway.url, apiKey, body);
    expect([retried.status, retried.body.data?.accepted]).toEqual([200, 1000]);
  });
});
