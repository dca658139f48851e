import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppProcess } from '../test/support/app-process';
import { processCpuSeconds } from './cpu-usage';
import { APP_ENTRY, type AppName, DIST_ROOT, REPO_ROOT } from './paths';

const KEEP_LOG_CHARS = 20_000;

export interface AppOptions {
  env: Record<string, string>;
  /** Directory for `node --cpu-prof` output, when profiling. */
  cpuProfDir?: string;
  profileName?: string;
  /** Another checkout whose build (`<checkout>/dist`) runs instead of this one (comparing two builds). */
  checkout?: string;
}

/** One app run by the tests' AppProcess from the build the bench was compiled with; tracks peak RSS, CPU, warnings. */
export class BenchApp {
  private peakKiB = 0;
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    private readonly app: AppProcess,
    /** Log lines at warn level or above (JSON logs, pino levels), by message: what went wrong during a run. */
    readonly warnings: Map<string, number>,
  ) {
    // VmHWM is the peak already; sampling only keeps a figure if the process dies before it is stopped.
    this.sampler = setInterval(() => this.samplePeak(), 1000);
    this.sampler.unref();
  }

  get name(): AppName {
    return this.app.name;
  }

  get url(): string {
    return this.app.url;
  }

  get logs(): string {
    return this.app.logs;
  }

  get pid(): number {
    return this.app.child.pid!;
  }

  /** Peak resident set size so far, in MiB. */
  get peakRssMiB(): number {
    this.samplePeak();
    return this.peakKiB / 1024;
  }

  static async start(name: AppName, options: AppOptions): Promise<BenchApp> {
    const warnings = new Map<string, number>();
    let partial = '';
    const app = await AppProcess.start(name, options.env, {
      entry: options.checkout
        ? join(options.checkout, 'dist', relative(DIST_ROOT, APP_ENTRY[name]))
        : APP_ENTRY[name],
      cwd: options.checkout ?? REPO_ROOT,
      nodeArgs: options.cpuProfDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${options.cpuProfDir}`,
            `--cpu-prof-name=${options.profileName ?? name}.cpuprofile`,
          ]
        : [],
      keepLogChars: KEEP_LOG_CHARS,
      readyTimeoutMs: 90_000,
      onOutput: (text) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) countWarning(warnings, line);
      },
    });
    return new BenchApp(app, warnings);
  }

  /** CPU time (user + system) the process has used so far, in seconds; NaN where /proc is not available. */
  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  private samplePeak(): void {
    const child = this.app.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      const status = readFileSync(join('/proc', String(this.pid), 'status'), 'utf8');
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
      if (match) this.peakKiB = Math.max(this.peakKiB, Number(match[1]));
    } catch {
      // Not Linux, or the process is gone: keep the last sample.
    }
  }

  /** SIGTERM (graceful shutdown, which also writes a CPU profile), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.samplePeak();
    clearInterval(this.sampler);
    await this.app.stop('SIGTERM', timeoutMs);
  }
}

function countWarning(warnings: Map<string, number>, line: string): void {
  if (!line.startsWith('{')) return;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string };
    if ((entry.level ?? 0) < 40) return;
    const msg = (entry.msg ?? '(no message)').slice(0, 200);
    if (warnings.has(msg) || warnings.size < 20) warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
  } catch {
    // Not a log line.
  }
}
