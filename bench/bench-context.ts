import { randomBytes } from 'node:crypto';
import { BenchApp } from './app-process';
import type { Infra } from './infra';
import type { AppName } from './paths';
import { resultRow, type ResultRow } from './result-row';
import { Sandbox } from './sandbox';
import type { Scale, ScaleParams } from './scale';

export interface BenchOptions {
  scale: Scale;
  params: ScaleParams;
  /** `node --cpu-prof` output directory for the apps, when profiling. */
  cpuProfDir?: string;
  /** WEBHOOK_MAX_CONCURRENCY_PER_TARGET for the dispatcher and the same concurrency for its baseline. */
  webhookConcurrency: number;
  /** Extra environment for every app (e.g. KAFKA_LINGER_MS=1 to try a setting). */
  appEnv: Record<string, string>;
}

export const MEMORY_GOAL_MIB = 256;

/** What scenarios share: the infrastructure, the options, the apps they start and the apps' peak memory. */
export class BenchContext {
  readonly runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  private readonly running = new Set<BenchApp>();
  private readonly sandboxes = new Set<Sandbox>();
  private readonly peaks = new Map<AppName, { mib: number; scenario: string }>();
  /** `<scenario>/<app>` → warn-or-worse log messages and how often each came. */
  readonly appWarnings: Record<string, Record<string, number>> = {};

  constructor(
    readonly infra: Infra,
    readonly options: BenchOptions,
  ) {}

  get params(): ScaleParams {
    return this.options.params;
  }

  log(message: string): void {
    console.error(`[bench] ${message}`);
  }

  /** Runs `work` in a fresh sandbox; stops the apps it started and removes the sandbox afterwards. */
  async withSandbox<T>(scenario: string, work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
    const sandbox = await Sandbox.create(this.infra, `${this.runId}-${scenario}`);
    this.sandboxes.add(sandbox);
    try {
      return await work(sandbox);
    } finally {
      await Promise.all([...this.running].map((app) => this.stopApp(app, scenario)));
      await sandbox.destroy();
      this.sandboxes.delete(sandbox);
    }
  }

  async startApp(
    name: AppName,
    sandbox: Sandbox,
    scenario: string,
    env: Record<string, string> = {},
  ): Promise<BenchApp> {
    const app = await BenchApp.start(name, {
      env: { ...sandbox.appEnv(), ...this.options.appEnv, ...env },
      cpuProfDir: this.options.cpuProfDir,
      profileName: `${scenario}-${name}-${this.runId}`,
    });
    this.running.add(app);
    return app;
  }

  /** Stops an app gracefully and records its peak RSS for the memory figures. */
  async stopApp(app: BenchApp, scenario: string): Promise<void> {
    if (!this.running.delete(app)) return;
    const mib = app.peakRssMiB;
    await app.stop();
    const known = this.peaks.get(app.name);
    if (!known || mib > known.mib) this.peaks.set(app.name, { mib, scenario });
    if (app.warnings.size > 0) {
      const key = `${scenario}/${app.name}`;
      const merged = (this.appWarnings[key] ??= {});
      for (const [msg, count] of app.warnings) merged[msg] = (merged[msg] ?? 0) + count;
    }
  }

  memoryRows(): ResultRow[] {
    return [...this.peaks].map(([name, { mib, scenario }]) =>
      resultRow('memory', `${name} peak RSS (in ${scenario})`, 'MiB', mib, { atMost: MEMORY_GOAL_MIB }),
    );
  }

  memoryDetails(): Record<string, { peakRssMiB: number; scenario: string }> {
    return Object.fromEntries(
      [...this.peaks].map(([name, { mib, scenario }]) => [name, { peakRssMiB: mib, scenario }]),
    );
  }

  /** On Ctrl-C: stop every app and remove every sandbox. */
  async abort(): Promise<void> {
    await Promise.all([...this.running].map((app) => app.stop(5000)));
    await Promise.all([...this.sandboxes].map((sandbox) => sandbox.destroy()));
  }
}
