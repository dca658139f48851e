import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';

describe('gateway OpenAPI document and Swagger UI', () => {
  let gateway: AppProcess;
  let document: any;

  beforeAll(async () => {
    gateway = await AppProcess.start('gateway');
    document = (await request(gateway.url, 'GET', '/docs/openapi.json')).body;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const schema = (name: string) => document.components.schemas[name];

  it('serves Swagger UI at /docs', async () => {
    const page = await request(gateway.url, 'GET', '/docs');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('swagger');
  });

  it('documents every gateway route with its success status', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]: [string, any]) =>
      Object.entries(methods).map(([method, op]: [string, any]) => [
        `${method.toUpperCase()} ${path}`,
        Object.keys(op.responses).filter((s) => s.startsWith('2')),
      ]),
    );

    expect(Object.fromEntries(operations)).toMatchObject({
      'POST /api/v1/customer-events': ['201'],
      'POST /api/v1/customer-events/batch': ['200'],
      'GET /api/v1/customers/{externalId}': ['200'],
      'PUT /api/v1/customers/{externalId}': expect.arrayContaining(['200', '201']),
      'PATCH /api/v1/customers/{externalId}': ['200'],
      'DELETE /api/v1/customers/{externalId}': ['200'],
      'POST /api/v1/customers/{externalId}/mark-as-spam': ['200'],
      'POST /api/v1/customers/{externalId}/unmark-as-spam': ['200'],
    });
  });

  it("carries the seed's example on the customer-events body", () => {
    const body = document.paths['/api/v1/customer-events'].post.requestBody.content['application/json'];

    expect(body.examples.seed.value).toEqual({
      customerExternalId: 'user_42',
      type: 'order.placed',
      payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
    });
    expect(schema('CreateCustomerEventDto').required).toEqual(['customerExternalId', 'type']);
    expect(schema('CreateCustomerEventDto').properties.type.pattern).toBe('^[a-z0-9_.]{1,100}$');
  });

  it('documents the batch body, its per-item results and the error codes of each route', () => {
    const batch = document.paths['/api/v1/customer-events/batch'].post;
    const single = document.paths['/api/v1/customer-events'].post;

    expect(schema('CustomerEventBatchDto').properties.events).toMatchObject({ maxItems: 1000, minItems: 1 });
    expect(schema('CustomerEventBatchItemDto').properties.idempotencyKey).toMatchObject({ maxLength: 255 });
    expect(Object.keys(schema('CustomerEventBatchResult').properties)).toEqual([
      'index',
      'success',
      'data',
      'error',
    ]);
    expect(Object.keys(batch.responses)).toEqual(expect.arrayContaining(['400', '401', '429', '503']));
    expect(Object.keys(single.responses)).toEqual(
      expect.arrayContaining(['400', '401', '404', '409', '413', '415', '422', '429', '503']),
    );
    expect(single.responses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(single.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });

  it("documents the customer in Plain's shape and the API key scheme", () => {
    expect(Object.keys(schema('CustomerResponse').properties)).toEqual([
      'id',
      'externalId',
      'email',
      'fullName',
      'shortName',
      'markedAsSpamAt',
      'markedAsSpamBy',
      'customerGroupMemberships',
      'createdAt',
      'createdBy',
      'updatedAt',
      'updatedBy',
    ]);
    expect(document.components.securitySchemes['api-key']).toEqual({
      type: 'apiKey',
      name: 'X-API-Key',
      in: 'header',
    });
  });
});
