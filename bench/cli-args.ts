import { isAbsolute, join } from 'node:path';
import { REPO_ROOT } from './paths';
import type { Scale } from './scale';

export interface CliArgs {
  scenarios: string[];
  scale: Scale;
  readme: boolean;
  outDir: string;
  cpuProfDir?: string;
  webhookConcurrency: number;
  appEnv: Record<string, string>;
  /** Overrides the measured duration of the timed scenarios (profiling, experiments). */
  durationS?: number;
  /** Overrides the backlog of the project scenario. */
  events?: number;
}

export const USAGE = `usage: npm run bench -- [<scenario> …] [options]
scenarios: ingest-single ingest-batch ingest-burst project e2e-latency customer-writes webhooks peer-http-bridge (default: all)
  --scale tiny|full            volumes (default full: the issue's)
  --out <dir>                  where <date>.json and <date>.md go (default bench/results)
  --no-readme                  leave README.md alone
  --cpu-prof <dir>             run the apps under node --cpu-prof, profiles in <dir>
  --webhook-concurrency <n>    WEBHOOK_MAX_CONCURRENCY_PER_TARGET, and the baseline's concurrency (default 16, the product's default)
  --app-env KEY=VALUE          extra environment for every app (repeatable), to try a setting
  --duration <s>               measured seconds of the timed scenarios, overriding the scale's
  --events <n>                 backlog of the project scenario, overriding the scale's`;

/** The value after `flag` (at `argv[i]`); an error naming the flag, with `usage`, when there is none. */
export function flagValue(argv: string[], i: number, flag: string, usage: string): string {
  const v = argv[i];
  if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${usage}`);
  return v;
}

export function parseArgs(argv: string[], known: string[]): CliArgs {
  const args: CliArgs = {
    scenarios: [],
    scale: 'full',
    readme: true,
    outDir: join(REPO_ROOT, 'bench', 'results'),
    webhookConcurrency: 16,
    appEnv: {},
  };
  const value = (i: number, flag: string) => flagValue(argv, i, flag, USAGE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--scale': {
        const scale = value(++i, arg);
        if (scale !== 'tiny' && scale !== 'full') throw new Error(`--scale must be tiny or full\n${USAGE}`);
        args.scale = scale;
        break;
      }
      case '--out': {
        const dir = value(++i, arg);
        args.outDir = isAbsolute(dir) ? dir : join(process.cwd(), dir);
        break;
      }
      case '--no-readme':
        args.readme = false;
        break;
      case '--cpu-prof': {
        const dir = value(++i, arg);
        args.cpuProfDir = isAbsolute(dir) ? dir : join(process.cwd(), dir);
        break;
      }
      case '--webhook-concurrency':
        args.webhookConcurrency = Number(value(++i, arg));
        if (
          !Number.isInteger(args.webhookConcurrency) ||
          args.webhookConcurrency < 1 ||
          args.webhookConcurrency > 100
        )
          throw new Error('--webhook-concurrency must be an integer from 1 to 100');
        break;
      case '--app-env': {
        const [key, ...rest] = value(++i, arg).split('=');
        if (!key || rest.length === 0) throw new Error('--app-env takes KEY=VALUE');
        args.appEnv[key] = rest.join('=');
        break;
      }
      case '--duration':
        args.durationS = Number(value(++i, arg));
        if (!(args.durationS > 0)) throw new Error('--duration must be a positive number of seconds');
        break;
      case '--events':
        args.events = Number(value(++i, arg));
        if (!Number.isInteger(args.events) || args.events < 1)
          throw new Error('--events must be a positive integer');
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
        if (arg !== 'all' && !known.includes(arg)) throw new Error(`unknown scenario ${arg}\n${USAGE}`);
        args.scenarios.push(arg);
    }
  }
  if (args.scenarios.length === 0 || args.scenarios.includes('all')) args.scenarios = [...known];
  return args;
}
