import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const ROOT = join(__dirname, '..', '..', '..');
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

interface AlertRule {
  alert: string;
  expr: string;
  annotations: Record<string, string>;
}

interface Panel {
  title: string;
  fieldConfig: { defaults: { unit: string } };
  targets: Array<{ expr: string }>;
}

interface Dashboard {
  templating: { list: Array<{ name: string; type: string; query?: { query: string } }> };
  panels: Panel[];
}

const alerts = () =>
  (load(read('ops', 'prometheus-alerts.yml')) as { groups: Array<{ rules: AlertRule[] }> }).groups.flatMap(
    (g) => g.rules,
  );
const dashboard = () => JSON.parse(read('ops', 'grafana-dashboard.json')) as Dashboard;

/** The anchors GitHub gives the headings of a Markdown file. */
function anchorsOf(markdown: string): Set<string> {
  const headings = [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]);
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** Each metric selector of a PromQL expression: the metric name and its `{…}` matchers (empty when none). */
function selectorsIn(expr: string): Array<{ metric: string; matchers: string }> {
  const stripped = expr.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '');
  return [...stripped.matchAll(/\b([a-z_][a-z0-9_]*)\b\s*(\{[^}]*\})?(?!\s*\()/g)]
    .filter((m) => m[1].includes('_'))
    .map((m) => ({ metric: m[1], matchers: m[2] ?? '' }));
}

/** A PromQL expression whose value is a duration in seconds (not a rate of a histogram's count). */
const measuresSeconds = (expr: string) =>
  /histogram_quantile\([^]*_seconds_bucket/.test(expr) ||
  selectorsIn(expr).some((s) => s.metric.endsWith('_seconds'));

describe('ops/prometheus-alerts.yml', () => {
  it('gives every alert a runbook_url naming a section of docs/operations.md', () => {
    const anchors = anchorsOf(read('docs', 'operations.md'));
    const rules = alerts();
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      const url = rule.annotations.runbook_url;
      expect({ alert: rule.alert, url }).toEqual({
        alert: rule.alert,
        url: expect.stringMatching(/^docs\/operations\.md#/),
      });
      expect({ alert: rule.alert, anchorExists: anchors.has(url.split('#')[1]) }).toEqual({
        alert: rule.alert,
        anchorExists: true,
      });
    }
  });

  it('alerts when an app is down or not ready, timelines are stale, or pending deliveries grow', () => {
    const exprs = alerts().map((r) => r.expr);
    expect(exprs.some((e) => /\bup\{[^}]*\}\s*==\s*0/.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('app_ready') && /==\s*0/.test(e))).toBe(true);
    expect(exprs.some((e) => /projector_lag_seconds\)?\s*>\s*\d+/.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('deriv(max(webhook_deliveries_pending)'))).toBe(true);
  });
});

describe('ops/grafana-dashboard.json', () => {
  it('has job and instance variables, and every query filters by both', () => {
    const { templating, panels } = dashboard();
    const variables = templating.list.filter((v) => v.type === 'query').map((v) => v.name);
    expect(variables).toEqual(expect.arrayContaining(['job', 'instance']));
    const selectors = panels.flatMap((p) => p.targets.flatMap((t) => selectorsIn(t.expr)));
    expect(selectors.length).toBeGreaterThan(15);
    for (const { metric, matchers } of selectors) {
      expect({ metric, matchers }).toEqual({
        metric,
        matchers: expect.stringMatching(/job=~"\$job".*instance=~"\$instance"/),
      });
    }
  });

  it('never puts seconds and counts on one axis: a panel in seconds shows only durations', () => {
    for (const panel of dashboard().panels) {
      const seconds = panel.targets.map((t) => measuresSeconds(t.expr));
      const expected = panel.fieldConfig.defaults.unit === 's';
      expect({ panel: panel.title, seconds }).toEqual({
        panel: panel.title,
        seconds: seconds.map(() => expected),
      });
    }
  });

  it('shows projection freshness and pending webhook deliveries', () => {
    const exprs = dashboard().panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.some((e) => e.includes('projector_lag_seconds'))).toBe(true);
    expect(exprs.some((e) => e.includes('webhook_deliveries_pending'))).toBe(true);
  });
});
