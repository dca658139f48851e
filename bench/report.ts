import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MachineInfo } from './machine';
import { REPO_ROOT } from './paths';
import { formatNumber, type ResultRow } from './result-row';
import type { Scale } from './scale';

export interface RunResult {
  /** Names the run's sandboxes: databases sdbench_<runId>_<scenario>, topics bench-<runId>-<scenario>.*. */
  runId: string;
  startedAt: string;
  finishedAt: string;
  scale: Scale;
  machine: MachineInfo;
  revision: string;
  settings: Record<string, unknown>;
  scenarios: string[];
  rows: ResultRow[];
  details: Record<string, unknown>;
  notes: Record<string, string[]>;
  /** Scenarios that could not complete, with the error. */
  failures: Record<string, string>;
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

export function gitRevision(): string {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (rev.status !== 0) return 'unknown';
  return `${rev.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}`;
}

function met(row: ResultRow): string {
  if (row.met === true) return 'yes';
  if (row.met === false) return `**no**: ${row.gap ?? ''}`;
  return row.gap ?? '—';
}

const withUnit = (n: number | null, unit: string) =>
  n === null ? '—' : `${formatNumber(n)}${unit ? ` ${unit}` : ''}`;

export function markdownTable(rows: ResultRow[]): string {
  const lines = [
    '| scenario | figure | value | baseline (same run) | ratio | goal | met? |',
    '|---|---|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const ratio = row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`;
    lines.push(
      `| ${row.scenario} | ${row.figure} | ${withUnit(row.value, row.unit)} | ${withUnit(row.baseline, row.unit)} | ${ratio} | ${row.goal} | ${met(row)} |`,
    );
  }
  return lines.join('\n');
}

export function machineLine(result: RunResult): string {
  const m = result.machine;
  return (
    `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}; ` +
    `load average at start ${m.loadAverageAtStart.join(' / ')}`
  );
}

export function markdownReport(result: RunResult): string {
  const parts = [
    `# Benchmark ${result.startedAt}`,
    '',
    `- scale: \`${result.scale}\`; scenarios: ${result.scenarios.join(', ')}`,
    `- machine: ${machineLine(result)}`,
    `- code: ${result.revision}; settings: \`${JSON.stringify(result.settings)}\``,
    `- finished: ${result.finishedAt}`,
    '',
    'Every figure is paired with a baseline measured in the same run on the same machine; on a shared, noisy',
    'machine the ratio (value ÷ baseline) is the figure that counts.',
    '',
    markdownTable(result.rows),
    '',
    '## Notes',
    '',
    ...Object.entries(result.notes).flatMap(([scenario, notes]) =>
      notes.map((n) => `- **${scenario}**: ${n}`),
    ),
    ...Object.entries(result.failures).map(
      ([scenario, error]) => `- **${scenario}** failed: ${error.split('\n')[0]}`,
    ),
    '',
  ];
  return parts.join('\n');
}

/** `<dir>/<date>.json` and `<dir>/<date>.md`; answers both paths. */
export function writeResults(result: RunResult, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.slice(0, 19).replace(/:/g, '-') + 'Z';
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(md, markdownReport(result));
  return { json, md };
}

/** Replaces the README's Performance table (between the markers), adding the section at the end if missing. */
export function updateReadme(result: RunResult, reportFile: string): string {
  const readme = join(REPO_ROOT, 'README.md');
  const link = relative(REPO_ROOT, reportFile);
  const details = link.startsWith('..') ? '' : ` Details and notes: [\`${link}\`](${link}).`;
  const section = [
    README_START,
    `_Last run ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, scale \`${result.scale}\`, on ${machineLine(result)}.${details}_`,
    '',
    markdownTable(result.rows),
    README_END,
  ].join('\n');
  const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  const updated =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + README_END.length)
      : `${text.replace(/\n*$/, '\n')}\n## Performance\n\n` +
        '`npm run bench` brings up the infrastructure and runs every scenario at full scale (`npm run bench -- ' +
        '<scenario> … [--scale tiny]` for some of them), each in its own database and topics, against the built apps ' +
        'as real processes. Every figure has a baseline measured in the same run on the same machine; the ratio is ' +
        'the figure that counts. Results are kept in `bench/results/`; what each scenario measures, the goals, ' +
        'the profiles that explain the gaps and the optimisations made are in [`bench/README.md`](bench/README.md).\n\n' +
        `${section}\n`;
  writeFileSync(readme, updated);
  return readme;
}
