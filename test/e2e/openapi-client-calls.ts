/**
 * Programs that call every operation of each app through a client typed from its OpenAPI document
 * (openapi-typescript types + openapi-fetch). They are type-checked, never run: a route missing from a
 * document, a wrong parameter or body, or an untyped answer fails the check. `operations` lists what each
 * program calls, so the test can tell that no documented operation is left out.
 */
export interface ClientProgram {
  operations: string[];
  source: string;
}

const OPERATIONAL = ['getLiveness', 'getReadiness', 'getMetrics'];

const operational = `
  const live = await client.GET('/health/live');
  const alive: 'ok' | undefined = live.data?.data.status;
  const ready = await client.GET('/health/ready');
  const checks: Record<string, { status: 'up' | 'down' }> | undefined = ready.data?.data.info;
  const metrics = await client.GET('/metrics', { parseAs: 'text' });
  const text: string | undefined = metrics.data;
  void [alive, checks, text];
`;

export const GATEWAY_CLIENT: ClientProgram = {
  operations: [
    'createCustomerEvent',
    'createCustomerEventBatch',
    'getCustomer',
    'putCustomer',
    'patchCustomer',
    'markCustomerAsSpam',
    'unmarkCustomerAsSpam',
    'deleteCustomer',
    ...OPERATIONAL,
  ],
  source: `
import createClient from 'openapi-fetch';
import type { paths } from './gateway';

export async function everyOperation(): Promise<void> {
  const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000', headers: { 'X-API-Key': 'k' } });
  const path = { params: { path: { externalId: 'user_42' } } };
  const event = await client.POST('/api/v1/customer-events', {
    body: { customerExternalId: 'user_42', type: 'order.placed', payload: { orderId: 'ord_9001' } },
    params: { header: { 'Idempotency-Key': 'order-ord_9001-placed' } },
  });
  const eventId: string | undefined = event.data?.data.id;
  const failure: string | undefined = event.error?.error.code;
  const batch = await client.POST('/api/v1/customer-events/batch', {
    body: { events: [{ customerExternalId: 'user_42', type: 'order.placed' }] },
  });
  const firstOk: boolean | undefined = batch.data?.data.results[0].success;
  const put = await client.PUT('/api/v1/customers/{externalId}', {
    ...path,
    body: { email: 'peter@example.com', fullName: 'Peter Santos' },
  });
  const email: string | undefined = put.data?.data.email.email;
  const got = await client.GET('/api/v1/customers/{externalId}', path);
  const patched = await client.PATCH('/api/v1/customers/{externalId}', { ...path, body: { fullName: 'Peter S.' } });
  const spam = await client.POST('/api/v1/customers/{externalId}/mark-as-spam', path);
  const notSpam = await client.POST('/api/v1/customers/{externalId}/unmark-as-spam', path);
  const deleted = await client.DELETE('/api/v1/customers/{externalId}', path);
  const names: Array<string | undefined> = [got, patched, spam, notSpam, deleted].map((r) => r.data?.data.fullName);
  void [eventId, failure, firstOk, email, names];
  ${operational}
}
`,
};

export const PROJECTOR_CLIENT: ClientProgram = {
  operations: [
    'getTimeline',
    'getTimelineTypes',
    'streamTimeline',
    'getCustomerProfile',
    'searchCustomers',
    ...OPERATIONAL,
  ],
  source: `
import createClient from 'openapi-fetch';
import type { paths } from './projector';

export async function everyOperation(): Promise<void> {
  const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3001', headers: { 'X-API-Key': 'k' } });
  const timeline = await client.GET('/api/v1/customers/{externalId}/timeline', {
    params: { path: { externalId: 'user_42' }, query: { limit: 20, types: ['order.placed'] } },
  });
  const firstType: string | undefined = timeline.data?.data.items[0]?.type;
  const next: string | null | undefined = timeline.data?.data.nextCursor;
  const stream = await client.GET('/api/v1/customers/{externalId}/timeline/stream', {
    params: { path: { externalId: 'user_42' }, header: { 'Last-Event-ID': 'x' } },
    parseAs: 'stream',
  });
  const body: ReadableStream | null | undefined = stream.data;
  const profile = await client.GET('/api/v1/customers/{externalId}', { params: { path: { externalId: 'user_42' } } });
  const spamAt: string | null | undefined = profile.data?.data.markedAsSpamAt;
  const types = await client.GET('/api/v1/customers/{externalId}/timeline/types', {
    params: { path: { externalId: 'user_42' } },
  });
  const count: number | undefined = types.data?.data.items[0]?.count;
  const found = await client.GET('/api/v1/customers', { params: { query: { query: 'peter', limit: 5 } } });
  const email: string | undefined = found.data?.data.items[0]?.email.email;
  void [firstType, next, body, spamAt, count, email];
  ${operational}
}
`,
};

export const DISPATCHER_CLIENT: ClientProgram = {
  operations: [
    'createWebhookTarget',
    'listWebhookTargets',
    'getWebhookTarget',
    'updateWebhookTarget',
    'deleteWebhookTarget',
    'rotateWebhookTargetSecret',
    'listWebhookTargetDeliveries',
    'listWebhookDeliveries',
    'getWebhookTargetStats',
    'sendWebhookTargetTest',
    'recoverWebhookTargetDeliveries',
    'getWebhookDelivery',
    'retryWebhookDelivery',
    ...OPERATIONAL,
  ],
  source: `
import createClient from 'openapi-fetch';
import type { paths } from './webhook-dispatcher';

export async function everyOperation(): Promise<void> {
  const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3002', headers: { 'X-API-Key': 'k' } });
  const target = { params: { path: { targetId: 'whTarget_x' } } };
  const created = await client.POST('/api/v1/webhook-targets', {
    body: { url: 'https://example.com/hooks', eventTypes: ['customer.customer_updated'], version: '2024-09-18' },
  });
  const secret: string | undefined = created.data?.data.secret;
  const list = await client.GET('/api/v1/webhook-targets', { params: { query: { limit: 10 } } });
  const urls: string[] | undefined = list.data?.data.items.map((t) => t.url);
  const one = await client.GET('/api/v1/webhook-targets/{targetId}', target);
  const updated = await client.PATCH('/api/v1/webhook-targets/{targetId}', { ...target, body: { enabled: false } });
  const deleted = await client.DELETE('/api/v1/webhook-targets/{targetId}', target);
  const rotated = await client.POST('/api/v1/webhook-targets/{targetId}/rotate-secret', target);
  const enabled: Array<boolean | undefined> = [one, updated, deleted, rotated].map((r) => r.data?.data.enabled);
  const log = await client.GET('/api/v1/webhook-targets/{targetId}/deliveries', {
    params: { path: { targetId: 'whTarget_x' }, query: { status: 'failed' } },
  });
  const all = await client.GET('/api/v1/webhook-deliveries', {
    params: { query: { eventType: 'customer.customer_updated', customerId: 'c_x', targetId: 'whTarget_x' } },
  });
  const statuses = [log, all].map((r) => r.data?.data.items[0]?.status);
  const stats = await client.GET('/api/v1/webhook-targets/{targetId}/stats', target);
  const rate: number | null | undefined = stats.data?.data.successRate24h;
  const test = await client.POST('/api/v1/webhook-targets/{targetId}/test', target);
  const testId: string | undefined = test.data?.data.id;
  const recovered = await client.POST('/api/v1/webhook-targets/{targetId}/recover', {
    ...target,
    body: { since: '2026-04-18T10:00:00Z' },
  });
  const scheduled: number | undefined = recovered.data?.data.scheduled;
  const delivery = await client.GET('/api/v1/webhook-deliveries/{deliveryId}', {
    params: { path: { deliveryId: 'whDelivery_x' } },
  });
  const sent: Record<string, string> | undefined = delivery.data?.data.attempts[0]?.request?.headers;
  const retried = await client.POST('/api/v1/webhook-deliveries/{deliveryId}/retry', {
    params: { path: { deliveryId: 'whDelivery_x' } },
  });
  const retriedCount: number | undefined = retried.data?.data.attemptCount;
  void [secret, urls, enabled, statuses, rate, testId, scheduled, sent, retriedCount];
  ${operational}
}
`,
};
