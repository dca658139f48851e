import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';

describe('walking skeleton: HTTP → Kafka → Postgres → HTTP', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;

  beforeAll(async () => {
    [gateway, projector] = await Promise.all([AppProcess.start('gateway'), AppProcess.start('projector')]);
    ({ apiKey } = await createApiKey());
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  it("posts the seed's event for a customer and reads it back from the customer's timeline", async () => {
    const externalId = uniqueExternalId();
    const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    expect(put.status).toBe(201);

    const posted = await request(gateway.url, 'POST', '/api/v1/customer-events', {
      apiKey,
      body: {
        customerExternalId: externalId,
        type: 'order.placed',
        payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
      },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      success: true,
      data: {
        customerId: put.body.data.id,
        type: 'order.placed',
        payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
      },
    });
    expect(posted.body.data.id).toMatch(/^cev_[0-9A-HJKMNP-TV-Z]{26}$/);

    const timeline = await eventually(async () => {
      const page = await request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline`, {
        apiKey,
      });
      expect(page.status).toBe(200);
      expect(page.body.data.items.map((i: { id: string }) => i.id)).toContain(posted.body.data.id);
      return page.body.data;
    });
    expect(timeline.items[0]).toEqual({
      id: posted.body.data.id,
      type: 'order.placed',
      title: null,
      payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
      occurredAt: posted.body.data.occurredAt,
      createdAt: posted.body.data.createdAt,
    });
    expect(timeline.items.map((i: { type: string }) => i.type)).toContain('customer.customer_created');
  });

  it('reports ready on every app, and a SIGTERM ends the process with exit code 0', async () => {
    const dispatcher = await AppProcess.start('webhook-dispatcher');
    const ready = await request(dispatcher.url, 'GET', '/health/ready');
    expect(ready.body.data.info).toEqual({ database: { status: 'up' }, kafka: { status: 'up' } });
    expect(await dispatcher.stop('SIGTERM')).toBe(0);
  });
});
