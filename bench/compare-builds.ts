import 'reflect-metadata';
import { isAbsolute, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { BenchApp } from './app-process';
import { flagValue } from './cli-args';
import { warmCustomerCache } from './customer-cache-warm-up';
import { createApiKey, insertCustomers } from './fixtures';
import { checkInfra, infraFromEnv } from './infra';
import { load } from './load';
import { Sandbox } from './sandbox';
import type { LoadBody } from './workers/autocannon.worker';

const COMPARE_USAGE = `usage: npm run bench -- compare --before <checkout> [options]
Runs the gateway of two builds side by side and loads them in turn, short slices alternating.
  --before <dir>         a checkout of the build to compare with, built (its dist/)
  --after <dir>          the other one (default: this checkout's build)
  --load single|batch    POST one event (64 connections) or batches of 500 (8 connections); default single
  --rounds <n>           rounds of one slice each (default 10)
  --slice <s>            seconds of load per slice (default 5)`;

const CUSTOMERS = 10_000;

interface CompareArgs {
  before: string;
  after?: string;
  load: 'single' | 'batch';
  rounds: number;
  sliceS: number;
}

interface Side {
  label: 'before' | 'after';
  app: BenchApp;
  /** Per round: CPU per event (µs) and events per second. */
  cpuUs: number[];
  eventsPerS: number[];
  failures: number;
}

/**
 * `npm run bench -- compare --before <checkout>`: whether a change moves the gateway's CPU per event and its
 * throughput, measured so that the machine's drift cancels out. Both gateways run at once in one sandbox (one
 * database, topics, key and customers; both customer caches warmed); each round loads one for a slice, then
 * the other, the order alternating from round to round, so that a machine whose speed moves within minutes
 * moves for both alike. Reported: each round's figures and the after/before ratios (geometric mean, median,
 * range). The full scenarios compare a gateway with its baselines; this compares two gateways with each other.
 */
async function main(): Promise<void> {
  const args = parseCompareArgs(process.argv.slice(2));
  const infra = infraFromEnv();
  await checkInfra(infra);
  const sandbox = await Sandbox.create(infra, `cmp${Date.now().toString(36)}`);
  const sides: Side[] = [];
  try {
    const key = await createApiKey(sandbox);
    await insertCustomers(sandbox, key, 'cs_', CUSTOMERS);
    for (const [label, checkout] of [
      ['before', args.before],
      ['after', args.after],
    ] as const) {
      const app = await BenchApp.start('gateway', { env: sandbox.appEnv(), checkout });
      sides.push({ label, app, cpuUs: [], eventsPerS: [], failures: 0 });
      await warmCustomerCache(app.url, key.apiKey, 'cs_', CUSTOMERS);
    }
    const batchSize = 500;
    const body: LoadBody =
      args.load === 'single'
        ? { kind: 'single-event', customerPrefix: 'cs_', customers: CUSTOMERS }
        : { kind: 'event-batch', customerPrefix: 'cs_', customers: CUSTOMERS, batchSize, variants: 16 };
    const connections = args.load === 'single' ? 64 : 8;
    const perRequest = args.load === 'single' ? 1 : batchSize;
    // Both warm (the JIT, kafkajs's connections) before anything is counted.
    for (const side of sides)
      await load(side.app.url, key.apiKey, { connections, durationS: 3, warmupS: 0 }, body);
    log(
      `${args.rounds} rounds of ${args.sliceS} s per gateway, ${args.load} events, ${connections} connections`,
    );
    for (let round = 0; round < args.rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const cpuBefore = side.app.cpuSeconds();
        const summary = await load(
          side.app.url,
          key.apiKey,
          { connections, durationS: args.sliceS, warmupS: 0 },
          body,
        );
        const events = (summary.ok + summary.warmupOk) * perRequest;
        side.cpuUs.push(((side.app.cpuSeconds() - cpuBefore) * 1e6) / events);
        side.eventsPerS.push(summary.requestsPerS * perRequest);
        side.failures += summary.errors + summary.timeouts + summary.non2xx;
      }
      const [before, after] = sides;
      log(
        `round ${round + 1}: CPU per event ${before.cpuUs[round].toFixed(1)} → ${after.cpuUs[round].toFixed(1)} µs, ` +
          `events/s ${before.eventsPerS[round].toFixed(0)} → ${after.eventsPerS[round].toFixed(0)}`,
      );
    }
    console.log(report(args, sides));
  } finally {
    for (const side of sides) await side.app.stop();
    await sandbox.destroy();
  }
}

function report(args: CompareArgs, [before, after]: Side[]): string {
  const ratios = (of: (side: Side) => number[]) => of(after).map((value, i) => value / of(before)[i]);
  const row = (figure: string, of: (side: Side) => number[], digits: number) => {
    const r = ratios(of);
    const sorted = [...r].sort((a, b) => a - b);
    const geomean = Math.exp(r.reduce((sum, v) => sum + Math.log(v), 0) / r.length);
    const median =
      sorted.length % 2 === 1
        ? sorted[sorted.length >> 1]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    const values = (side: Side) =>
      of(side)
        .map((v) => v.toFixed(digits))
        .join(' / ');
    return (
      `| ${figure} | ${values(before)} | ${values(after)} | ${geomean.toFixed(3)} | ${median.toFixed(3)} | ` +
      `${sorted[0].toFixed(3)}–${sorted[sorted.length - 1].toFixed(3)} |`
    );
  };
  return [
    `before: ${args.before}`,
    `after: ${args.after ?? '(this build)'}`,
    `${args.rounds} rounds, ${args.sliceS} s slices, ${args.load} events; failed requests: before ` +
      `${before.failures}, after ${after.failures}`,
    '',
    '| figure | before (per round) | after (per round) | after/before, geometric mean | median | range |',
    '|---|---|---|---:|---:|---|',
    row('CPU per event (µs)', (side) => side.cpuUs, 1),
    row('events/s', (side) => side.eventsPerS, 0),
  ].join('\n');
}

function parseCompareArgs(argv: string[]): CompareArgs {
  const args: Partial<CompareArgs> = { load: 'single', rounds: 10, sliceS: 5 };
  const value = (i: number, flag: string) => flagValue(argv, i, flag, COMPARE_USAGE);
  const checkout = (dir: string) => {
    const root = isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
    if (!existsSync(join(root, 'dist', 'apps', 'gateway', 'src', 'main.js')))
      throw new Error(`${root} has no built gateway (dist/apps/gateway/src/main.js): build it first`);
    return root;
  };
  const count = (text: string, flag: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${flag} must be a whole number ≥ 1\n${COMPARE_USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--before':
        args.before = checkout(value(++i, flag));
        break;
      case '--after':
        args.after = checkout(value(++i, flag));
        break;
      case '--load': {
        const kind = value(++i, flag);
        if (kind !== 'single' && kind !== 'batch')
          throw new Error(`--load must be single or batch\n${COMPARE_USAGE}`);
        args.load = kind;
        break;
      }
      case '--rounds':
        args.rounds = count(value(++i, flag), flag);
        break;
      case '--slice':
        args.sliceS = count(value(++i, flag), flag);
        break;
      default:
        throw new Error(`unknown argument ${flag}\n${COMPARE_USAGE}`);
    }
  }
  if (args.before === undefined) throw new Error(`--before is required\n${COMPARE_USAGE}`);
  return args as CompareArgs;
}

function log(message: string): void {
  console.error(`[compare] ${message}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
