import type { Command } from 'commander';
import { Kafka, logLevel } from 'kafkajs';
import { allTopics } from '@app/contracts';
import type { CliEnv } from '@app/config';
import { databaseNameOf, ensureDatabase, openDataSource } from '@app/database';

export async function createTopics(config: CliEnv, prefix = config.KAFKA_TOPIC_PREFIX): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'supportdesk-cli',
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = allTopics(prefix).filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic.endsWith('.dlq') ? 1 : config.KAFKA_PARTITIONS,
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

export async function migrate(databaseUrl: string): Promise<string[]> {
  const dataSource = await openDataSource({
    url: databaseUrl,
    poolSize: 1,
    applicationName: 'supportdesk-cli',
  });
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

export function registerInfraCommands(program: Command, config: () => CliEnv): void {
  program
    .command('migrate')
    .description('Run the pending database migrations')
    .action(async () => {
      const ran = await migrate(config().DATABASE_URL);
      console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database schema is up to date');
    });

  program
    .command('db')
    .description('Database housekeeping')
    .command('ensure')
    .description('Create the database named in DATABASE_URL when it does not exist')
    .action(async () => {
      const url = config().DATABASE_URL;
      const created = await ensureDatabase(url);
      console.log(`database ${databaseNameOf(url)} ${created ? 'created' : 'exists'}`);
    });

  program
    .command('topics')
    .description('Kafka topics')
    .command('create')
    .description('Create the topics and their DLQs (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR)')
    .action(async () => {
      const created = await createTopics(config());
      console.log(created.length ? `created topics: ${created.join(', ')}` : 'topics exist');
    });
}
