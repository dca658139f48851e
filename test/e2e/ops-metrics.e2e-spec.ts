import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { ROOT } from '@test/support/infra-state';
import { metricSum } from '@test/support/metrics-scrape';
import { WebhookReceiver } from '@test/support/webhook-receiver';

const HISTOGRAM_SUFFIXES = /_(bucket|count|sum)$/;
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
]);

/** Metric names in a PromQL expression: identifiers outside label matchers, grouping lists and function calls. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const names = [...stripped.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)].map((m) => m[1]);
  return [
    ...new Set(
      names
        .filter((n) => n.includes('_') && !PROMQL_WORDS.has(n))
        .map((n) => n.replace(HISTOGRAM_SUFFIXES, '')),
    ),
  ];
}

function alertExpressions(): string[] {
  const rules = load(readFileSync(join(ROOT, 'ops', 'prometheus-alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  return rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'ops', 'grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

describe('ops/ dashboards and alert rules', () => {
  const apps: AppProcess[] = [];
  const exported = new Set<string>();

  beforeAll(async () => {
    apps.push(
      ...(await Promise.all([
        AppProcess.start('gateway'),
        AppProcess.start('projector'),
        AppProcess.start('webhook-dispatcher'),
      ])),
    );
    for (const app of apps) {
      const metrics = await request<string>(app.url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      for (const match of metrics.body.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /gm))
        exported.add(match[1]);
    }
  });

  afterAll(() => Promise.all(apps.map((app) => app.stop())));

  it('finds the metric names in a PromQL expression', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m])))',
      ),
    ).toEqual(['http_request_duration_seconds']);
  });

  it('references in the alert rules only metrics that the apps export', () => {
    const referenced = alertExpressions().flatMap(metricNamesIn);
    expect(referenced.length).toBeGreaterThan(5);
    expect(referenced.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('references in the Grafana dashboard only metrics that the apps export', () => {
    const referenced = dashboardExpressions().flatMap(metricNamesIn);
    expect(referenced.length).toBeGreaterThan(8);
    expect(referenced.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('labels every series with the app it comes from, its own metrics included', async () => {
    for (const app of apps) {
      const text = (await request<string>(app.url, 'GET', '/metrics')).body;
      const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
      expect(samples.length).toBeGreaterThan(20);
      const unlabelled = samples.filter((line) => !line.includes(`service="${app.name}"`));
      expect({ app: app.name, unlabelled }).toEqual({ app: app.name, unlabelled: [] });
    }
  });

  it('reports each ready app as app_ready 1', async () => {
    for (const app of apps) expect(await metricSum(app.url, 'app_ready', { service: app.name })).toBe(1);
  });

  it('counts the batch endpoint item by item: accepted, and rejected by error code', async () => {
    const [gateway] = apps;
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId('met');
    const put = await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: externalId },
    });
    expect(put.status).toBe(201);
    const count = (labels: Record<string, string>) =>
      metricSum(gateway.url, 'gateway_batch_items_total', labels);
    const before = {
      accepted: await count({ result: 'accepted' }),
      notFound: await count({ result: 'rejected', code: 'CUSTOMER_NOT_FOUND' }),
      invalid: await count({ result: 'rejected', code: 'VALIDATION_ERROR' }),
    };
    const batch = await request(gateway.url, 'POST', '/api/v1/customer-events/batch', {
      apiKey,
      body: {
        events: [
          { customerExternalId: externalId, type: 'order.placed' },
          { customerExternalId: externalId, type: 'order.shipped' },
          { customerExternalId: 'nobody_here', type: 'order.placed' },
          { customerExternalId: externalId, type: 'Not A Type' },
        ],
      },
    });
    expect(batch.body.data).toMatchObject({ accepted: 2, rejected: 2 });
    expect(await count({ result: 'accepted' })).toBe(before.accepted + 2);
    expect(await count({ result: 'rejected', code: 'CUSTOMER_NOT_FOUND' })).toBe(before.notFound + 1);
    expect(await count({ result: 'rejected', code: 'VALIDATION_ERROR' })).toBe(before.invalid + 1);
  });

  it('counts webhook attempts per target, by result', async () => {
    const [gateway, , dispatcher] = apps;
    const receiver = await WebhookReceiver.start();
    try {
      const { apiKey } = await createApiKey();
      const failing = receiver.endpoint(() => ({ status: 500 }));
      const targets: Record<string, string> = {};
      for (const [name, url] of [
        ['ok', receiver.endpoint()],
        ['failing', failing],
      ]) {
        const created = await request(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
          apiKey,
          body: { url, eventTypes: ['customer.customer_changed'] },
        });
        expect(created.status).toBe(201);
        targets[name] = (created.body as { data: { id: string } }).data.id;
      }
      const externalId = uniqueExternalId('hook');
      await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
        apiKey,
        body: { email: `${externalId}@example.com`, fullName: externalId },
      });
      const attempts = (targetId: string, result: string) =>
        metricSum(dispatcher.url, 'webhook_target_attempts_total', { target_id: targetId, result });
      await eventually(async () => {
        expect(await attempts(targets.ok, 'success')).toBe(1);
        expect(await attempts(targets.failing, 'failure')).toBeGreaterThanOrEqual(1);
      }, 60_000);
      expect(await attempts(targets.ok, 'failure')).toBe(0);
      expect(await attempts(targets.failing, 'success')).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
