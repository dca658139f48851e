/** One line of the results table: a figure, its same-run baseline, the ratio, and the goal it is held to. */
export interface ResultRow {
  scenario: string;
  figure: string;
  unit: string;
  value: number | null;
  baseline: number | null;
  /** value ÷ baseline. */
  ratio: number | null;
  goal: string;
  /** null: no goal, or not measurable in this run. */
  met: boolean | null;
  /** For a goal not met: by how much. */
  gap?: string;
}

export interface GoalSpec {
  baseline?: number | null;
  /** value ≥ minRatio × baseline (throughput). */
  minRatio?: number;
  /** value ≤ maxRatio × baseline (cost, e.g. CPU per request). */
  maxRatio?: number;
  atLeast?: number;
  atMost?: number;
  equals?: number;
}

const num = (n: number) =>
  Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100);

/** Builds a row and judges it against its goals; a goal is recorded as met or not, with the gap, never asserted. */
export function resultRow(
  scenario: string,
  figure: string,
  unit: string,
  value: number | null,
  spec: GoalSpec = {},
): ResultRow {
  const baseline = spec.baseline ?? null;
  const measured = value !== null && Number.isFinite(value);
  const ratio = measured && baseline !== null && baseline > 0 ? value / baseline : null;
  const goals: string[] = [];
  const gaps: string[] = [];
  const u = unit ? ` ${unit}` : '';
  if (spec.minRatio !== undefined) {
    goals.push(`≥ ${spec.minRatio} × baseline`);
    if (ratio === null || ratio < spec.minRatio)
      gaps.push(
        ratio === null
          ? 'no ratio'
          : `ratio ${num(ratio)} < ${spec.minRatio} (needs ×${num(spec.minRatio / ratio)})`,
      );
  }
  if (spec.maxRatio !== undefined) {
    goals.push(`≤ ${spec.maxRatio} × baseline`);
    if (ratio === null || ratio > spec.maxRatio)
      gaps.push(ratio === null ? 'no ratio' : `ratio ${num(ratio)} > ${spec.maxRatio}`);
  }
  if (spec.atLeast !== undefined) {
    goals.push(`≥ ${num(spec.atLeast)}${u}`);
    if (!measured || value < spec.atLeast)
      gaps.push(
        measured
          ? `${num(value)} < ${num(spec.atLeast)}${u} (needs ×${num(spec.atLeast / value)})`
          : 'not measured',
      );
  }
  if (spec.atMost !== undefined) {
    goals.push(`≤ ${num(spec.atMost)}${u}`);
    if (!measured || value > spec.atMost)
      gaps.push(
        measured
          ? `${num(value)} > ${num(spec.atMost)}${u} (${num(value - spec.atMost)}${u} over)`
          : 'not measured',
      );
  }
  if (spec.equals !== undefined) {
    goals.push(`= ${num(spec.equals)}`);
    if (!measured || value !== spec.equals)
      gaps.push(measured ? `${num(value)} ≠ ${num(spec.equals)}` : 'not measured');
  }
  return {
    scenario,
    figure,
    unit,
    value: measured ? value : null,
    baseline,
    ratio,
    goal: goals.length ? goals.join(' and ') : '—',
    met: goals.length ? gaps.length === 0 : null,
    ...(gaps.length ? { gap: gaps.join('; ') } : {}),
  };
}

export function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 100) return String(Math.round(n));
  if (Math.abs(n) >= 1 || n === 0) return String(Math.round(n * 10) / 10);
  return String(Number(n.toPrecision(2)));
}
