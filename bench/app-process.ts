import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { APP_ENTRY, type AppName } from './paths';
import { sleep } from './stats';

const PORT_VARIABLE: Record<AppName, string> = {
  gateway: 'GATEWAY_PORT',
  projector: 'PROJECTOR_PORT',
  'webhook-dispatcher': 'DISPATCHER_PORT',
};
const KEEP_LOG_CHARS = 20_000;
/** USER_HZ: /proc reports CPU times in these ticks (100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

export interface AppOptions {
  env: Record<string, string>;
  /** Directory for `node --cpu-prof` output, when profiling. */
  cpuProfDir?: string;
  profileName?: string;
}

/** One app as a real process from the built code, on a free port; tracks its peak RSS (VmHWM). */
export class BenchApp {
  private log = '';
  private peakKiB = 0;
  private readonly sampler: NodeJS.Timeout;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: AppName,
    readonly port: number,
    readonly child: ChildProcess,
    readonly spawnedAt: number,
  ) {
    let partial = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.log = (this.log + text).slice(-KEEP_LOG_CHARS);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.countWarning(line);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // VmHWM is the peak already; sampling only keeps a figure if the process dies before it is stopped.
    this.sampler = setInterval(() => this.samplePeak(), 1000);
    this.sampler.unref();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.log;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Peak resident set size so far, in MiB. */
  get peakRssMiB(): number {
    this.samplePeak();
    return this.peakKiB / 1024;
  }

  static async start(name: AppName, options: AppOptions): Promise<BenchApp> {
    const entry = APP_ENTRY[name];
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm run build)`);
    const port = await freePort();
    const nodeArgs = options.cpuProfDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfDir}`,
          `--cpu-prof-name=${options.profileName ?? name}.cpuprofile`,
        ]
      : [];
    const child = spawn(process.execPath, [...nodeArgs, entry], {
      env: { ...process.env, ...options.env, [PORT_VARIABLE[name]]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new BenchApp(name, port, child, performance.now());
    try {
      await app.waitReady(90_000);
    } catch (error) {
      await app.stop(5000);
      throw error;
    }
    return app;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.log}`);
      const status = await fetch(`${this.url}/health/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.log}`);
      await sleep(100);
    }
  }

  /** CPU time (user + system) the process has used so far, in seconds; NaN where /proc is not available. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(join('/proc', String(this.pid), 'stat'), 'utf8');
      // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
    } catch {
      return NaN;
    }
  }

  /** Log lines at warn level or above (JSON logs, pino levels), by message: what went wrong during a run. */
  readonly warnings = new Map<string, number>();

  private countWarning(line: string): void {
    if (!line.startsWith('{')) return;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) < 40) return;
      const msg = (entry.msg ?? '(no message)').slice(0, 200);
      if (this.warnings.has(msg) || this.warnings.size < 20)
        this.warnings.set(msg, (this.warnings.get(msg) ?? 0) + 1);
    } catch {
      // Not a log line.
    }
  }

  private samplePeak(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
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
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
