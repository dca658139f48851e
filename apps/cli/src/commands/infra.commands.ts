import type { Command } from 'commander';
import type { CliEnv } from '@app/config';
import { databaseNameOf, ensureDatabase, openDataSource } from '@app/database';
import { createTopics } from '../topics';

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
    .description(
      'Create the topics and their DLQs (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS, ' +
        'KAFKA_RETENTION_MS); report existing topics that differ and exit 3',
    )
    .action(async () => {
      const { created, drift } = await createTopics(config());
      console.log(created.length ? `created topics: ${created.join(', ')}` : 'topics exist');
      if (drift.length > 0) {
        process.stderr.write(
          `existing topics differ from the settings (nothing was changed):\n${drift.map((d) => `  - ${d}`).join('\n')}\n`,
        );
        process.exitCode = 3;
      }
    });
}
