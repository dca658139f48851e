import { allTopics, prefixedTopic, type TopicName } from '@app/contracts';
import { dropDatabase, ensureDatabase, openDataSource } from '@app/database';
import { Client } from 'pg';
import { databaseUrl, type Infra, kafkaClient } from './infra';

export const BENCH_PARTITIONS = 12;

/**
 * One scenario's isolated world on the shared infrastructure: its own database `sdbench_<id>` (created and
 * migrated) and its own topic prefix `bench-<id>.` (every topic and DLQ, 12 partitions), both removed at the end.
 */
export class Sandbox {
  readonly databaseUrl: string;
  readonly topicPrefix: string;
  private readonly groups = new Set<string>();

  private constructor(
    readonly infra: Infra,
    readonly id: string,
  ) {
    this.databaseUrl = databaseUrl(infra, `sdbench_${id.replace(/[^a-z0-9_]/g, '_')}`);
    this.topicPrefix = `bench-${id}.`;
  }

  static async create(infra: Infra, id: string): Promise<Sandbox> {
    const sandbox = new Sandbox(infra, id);
    await ensureDatabase(sandbox.databaseUrl);
    const dataSource = await openDataSource({
      url: sandbox.databaseUrl,
      poolSize: 1,
      applicationName: 'bench-setup',
    });
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    const admin = kafkaClient(infra, 'bench-setup').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: allTopics(sandbox.topicPrefix).map((topic) => ({
          topic,
          numPartitions: topic.endsWith('.dlq') ? 1 : BENCH_PARTITIONS,
        })),
      });
    } finally {
      await admin.disconnect();
    }
    return sandbox;
  }

  topic(name: TopicName): string {
    return prefixedTopic(this.topicPrefix, name);
  }

  /** A consumer group name for this sandbox, deleted with it. */
  group(role: string): string {
    const name = `bench-${this.id}-${role}`;
    this.groups.add(name);
    return name;
  }

  /** What every app started in this sandbox gets. */
  appEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: this.infra.brokers.join(','),
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      KAFKA_CLIENT_ID: `bench-${this.id}`,
      PROJECTOR_GROUP_ID: this.group('projector'),
      DISPATCHER_GROUP_ID: this.group('dispatcher'),
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // The latency workers follow one live timeline per sampled customer (up to 300), all with one key.
      LIVE_STREAMS_PER_KEY: '500',
    };
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Drops the database and deletes the topics and groups; never throws (cleanup must not hide a result). */
  async destroy(): Promise<void> {
    const admin = kafkaClient(this.infra, 'bench-teardown').admin();
    try {
      await admin.connect();
      if (this.groups.size > 0) await admin.deleteGroups([...this.groups]).catch(() => undefined);
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30000 });
    } catch (error) {
      console.error(
        `[bench] could not delete the topics of ${this.topicPrefix}: ${(error as Error).message}`,
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await dropDatabase(this.databaseUrl).catch((error: unknown) =>
      console.error(`[bench] could not drop ${this.databaseUrl}: ${(error as Error).message}`),
    );
  }
}
