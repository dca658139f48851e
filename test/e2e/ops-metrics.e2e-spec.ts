import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { ROOT } from '@test/support/infra-state';

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
});
