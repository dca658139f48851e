import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './infra-state';
import { createTopics } from './own-topics';

export interface PrivateBrokerOptions {
  /** Defaults to port + 1. */
  controllerPort?: number;
  /** Appended to server.properties (later keys win): node.id, voters, listeners, SASL… */
  properties?: Record<string, string>;
  /** Brokers of one cluster are formatted with the same id. */
  clusterId?: string;
  /** A SCRAM credential created at format time, e.g. `SCRAM-SHA-512=[name=app,password=pw]`. */
  addScram?: string;
  /** KAFKA_VERSION for scripts/kafka.sh (default: the script's). */
  version?: string;
}

/** Small and quick to start: a test broker holds little, and the CI has two cores for everything. */
const TEST_BROKER_JVM = '-Xms64m -Xmx256m -XX:TieredStopAtLevel=1';

/**
 * A Kafka broker of one test file's own (scripts/kafka.sh on its own port and data dir), so that a fault test
 * can stop and start it without touching the broker on 9092 that every other test run shares.
 * The script runs asynchronously: load generators in the test process keep running while it stops or starts.
 */
export class PrivateBroker {
  readonly brokers: string;

  constructor(
    readonly port: number,
    private readonly topicPrefix = process.env.KAFKA_TOPIC_PREFIX!,
    private readonly options: PrivateBrokerOptions = {},
  ) {
    if (port === 9092)
      throw new Error('9092 is the shared broker: a fault test must use a broker of its own');
    this.brokers = `127.0.0.1:${port}`;
  }

  /** What an app (or the script) needs to use this broker and nothing else. */
  get env(): Record<string, string> {
    return {
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.options.controllerPort ?? this.port + 1),
      KAFKA_BROKERS: this.brokers,
    };
  }

  /** What scripts/kafka.sh alone needs (the apps never see these). */
  private get scriptEnv(): Record<string, string> {
    const env: Record<string, string> = { ...this.env, KAFKA_HEAP_OPTS: TEST_BROKER_JVM };
    if (this.options.properties) {
      const file = `${this.dataDir}.properties`;
      // The broker's own folder is made by the script; the properties file is written before it runs.
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(
        file,
        Object.entries(this.options.properties)
          .map(([key, value]) => `${key}=${value}\n`)
          .join(''),
      );
      env.KAFKA_EXTRA_PROPERTIES = file;
    }
    if (this.options.clusterId) env.KAFKA_CLUSTER_ID = this.options.clusterId;
    if (this.options.addScram) env.KAFKA_ADD_SCRAM = this.options.addScram;
    if (this.options.version) env.KAFKA_VERSION = this.options.version;
    return env;
  }

  /** Starts it (fresh data dir) and creates the run's topics on it, 3 partitions each, 1 for the DLQs. */
  async create(): Promise<void> {
    this.removeData();
    await this.start();
    await createTopics(this.brokers, this.topicPrefix);
  }

  start(): Promise<void> {
    return this.script('start');
  }

  stop(): Promise<void> {
    return this.script('stop');
  }

  /** SIGKILL: no controlled shutdown, no leadership handed over, the way a lost machine looks to the cluster. */
  kill(): void {
    process.kill(this.pid(), 'SIGKILL');
  }

  /**
   * Freezes the broker process (SIGSTOP) without closing its connections: requests in flight neither fail nor
   * complete until resume(), the way a long GC pause or a network partition that heals looks to clients.
   */
  pause(): void {
    process.kill(this.pid(), 'SIGSTOP');
  }

  resume(): void {
    process.kill(this.pid(), 'SIGCONT');
  }

  /** The pid scripts/kafka.sh recorded in this broker's own data dir (never any other process). */
  private pid(): number {
    const pid = Number(readFileSync(join(this.dataDir, 'broker.pid'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no broker pid in ${this.dataDir}`);
    return pid;
  }

  get dataDir(): string {
    return join(process.env.SUPPORTDESK_CACHE_DIR ?? join(ROOT, '.cache'), 'kafka', `broker-${this.port}`);
  }

  /** Stops it and deletes its data dir. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    this.removeData();
  }

  private removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(`${this.dataDir}.properties`, { force: true });
  }

  private script(command: 'start' | 'stop'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(ROOT, 'scripts', 'kafka.sh'), command], {
        env: { ...process.env, ...this.scriptEnv },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}: ${stderr}`)),
      );
    });
  }
}
