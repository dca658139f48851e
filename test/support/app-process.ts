import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { ROOT } from './infra-state';

export type AppName = 'gateway' | 'projector' | 'webhook-dispatcher';

/** The apps' heap flags, the same in every start path (package.json, Dockerfile, compose, stack, bench). */
export const APP_NODE_FLAGS: string[] = JSON.parse(
  // ROOT is dist/ once compiled (the benchmark), where the file is one level up.
  readFileSync(
    [ROOT, join(ROOT, '..')].map((root) => join(root, 'scripts', 'app-node-flags.json')).find(existsSync)!,
    'utf8',
  ),
) as string[];

const ENTRY: Record<AppName, string> = {
  gateway: 'apps/gateway/src/main.js',
  projector: 'apps/projector/src/main.js',
  'webhook-dispatcher': 'apps/webhook-dispatcher/src/main.js',
};

/** The built code; SUPPORTDESK_DIST lets concurrent developers test their own build directory. */
export const DIST_DIR = process.env.SUPPORTDESK_DIST ?? 'dist';

const PORT_VARIABLE: Record<AppName, string> = {
  gateway: 'GATEWAY_PORT',
  projector: 'PROJECTOR_PORT',
  'webhook-dispatcher': 'DISPATCHER_PORT',
};

/** How to launch an app when the defaults of the e2e tests do not fit (the benchmark runs its own build). */
export interface LaunchOptions {
  /** The built main.js; by default the one under DIST_DIR. */
  entry?: string;
  cwd?: string;
  nodeArgs?: string[];
  /** Sees every chunk of stdout and stderr. */
  onOutput?: (text: string) => void;
  /** Keep only the last this many characters of output (long runs); all of it by default. */
  keepLogChars?: number;
  readyTimeoutMs?: number;
}

/** One of the apps as a real process (the built code, as an SRE runs it), on a free port. */
export class AppProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: AppName,
    readonly port: number,
    readonly child: ChildProcess,
    launch: LaunchOptions,
  ) {
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output += text;
      if (launch.keepLogChars !== undefined) this.output = this.output.slice(-launch.keepLogChars);
      launch.onOutput?.(text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.output;
  }

  /** Starts the app with the run's DATABASE_URL, KAFKA_BROKERS and topic prefix, and waits for /health/ready. */
  static async start(
    name: AppName,
    env: Record<string, string> = {},
    launch: LaunchOptions = {},
  ): Promise<AppProcess> {
    const entry = launch.entry ?? join(ROOT, DIST_DIR, ENTRY[name]);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
    const port = env[PORT_VARIABLE[name]] ? Number(env[PORT_VARIABLE[name]]) : await freePort();
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...(launch.nodeArgs ?? []), entry], {
      cwd: launch.cwd ?? ROOT,
      env: {
        ...process.env,
        PROJECTOR_GROUP_ID: `projector-${process.env.TEST_RUN_ID}`,
        DISPATCHER_GROUP_ID: `dispatcher-${process.env.TEST_RUN_ID}`,
        ...env,
        [PORT_VARIABLE[name]]: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(name, port, child, launch);
    try {
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${app.logs}`);
          const response = await fetch(`${app.url}/health/ready`);
          if (response.status !== 200) throw new Error(`${name} not ready: ${response.status}`);
        },
        launch.readyTimeoutMs ?? 60000,
        200,
      );
    } catch (error) {
      await app.kill();
      throw error;
    }
    return app;
  }

  /** Resolves with the exit code once the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): Promise<number | null> {
    return this.stop('SIGKILL');
  }
}
