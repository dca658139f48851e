import type { BenchContext } from './bench-context';
import type { ResultRow } from './result-row';
import type { Sandbox } from './sandbox';

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

/** A scenario that runs in its own sandbox (database and topics), removed with the apps it started at the end. */
export function sandboxedScenario(
  name: string,
  run: (ctx: BenchContext, sandbox: Sandbox) => Promise<ScenarioOutcome>,
): Scenario {
  return { name, run: (ctx) => ctx.withSandbox(name, (sandbox) => run(ctx, sandbox)) };
}
