import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './infra-state';
import { createTopics } from './own-topics';

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
  ) {
    if (port === 9092)
      throw new Error('9092 is the shared broker: a fault test must use a broker of its own');
    this.brokers = `127.0.0.1:${port}`;
  }

  /** What an app (or the script) needs to use this broker and nothing else. */
  get env(): Record<string, string> {
    return {
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.port + 1),
      KAFKA_BROKERS: this.brokers,
    };
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

  private get dataDir(): string {
    return join(process.env.SUPPORTDESK_CACHE_DIR ?? join(ROOT, '.cache'), 'kafka', `broker-${this.port}`);
  }

  /** Stops it and deletes its data dir. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    this.removeData();
  }

  private removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private script(command: 'start' | 'stop'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(ROOT, 'scripts', 'kafka.sh'), command], {
        env: { ...process.env, ...this.env },
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
