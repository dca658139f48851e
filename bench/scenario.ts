import type { BenchContext } from './bench-context';
import type { ResultRow } from './result-row';

export interface ScenarioOutcome {
  rows: ResultRow[];
  /** Raw measurements for the JSON file. */
  details: Record<string, unknown>;
  /** Settings used and caveats, for the Markdown report. */
  notes: string[];
}

export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}
