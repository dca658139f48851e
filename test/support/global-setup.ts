import { randomBytes } from 'node:crypto';
import { openDataSource } from '../../libs/database/src/data-source';
import { assertTestDatabase, ensureDatabase } from '../../libs/database/src/ensure-database';
import { kafkaScript, saveState, type InfraState } from './infra-state';
import { startContainers } from './containers';
import { createTopics } from './own-topics';

/**
 * Runs once per jest invocation: brings up (or reuses) the real broker and PostgreSQL, then gives this run its
 * own database (`sd_<run>_test`, created and migrated) and its own topic prefix, so concurrent runs never meet.
 * Test processes inherit what is set on process.env here.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const state: InfraState = {
    runId,
    databaseUrl: '',
    kafkaBrokers: process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`,
    topicPrefix: `test-${runId}.`,
    startedBroker: false,
    containers: [],
  };
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  if (process.env.TEST_INFRA === 'containers') {
    const started = await startContainers();
    state.kafkaBrokers = started.kafkaBrokers;
    state.containers = started.ids;
    adminUrl = started.postgresUrl;
  } else if (
    !process.env.KAFKA_BROKERS ||
    process.env.KAFKA_BROKERS === `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`
  ) {
    const answering = kafkaScript('status');
    if (!answering) {
      if (!kafkaScript('start'))
        throw new Error('Could not start the local Kafka broker (scripts/kafka.sh start)');
      state.startedBroker = true;
    }
  }

  const url = new URL(adminUrl);
  url.pathname = `/sd_${runId}_test`;
  state.databaseUrl = url.toString();
  assertTestDatabase(state.databaseUrl);
  await ensureDatabase(state.databaseUrl);
  const dataSource = await openDataSource({
    url: state.databaseUrl,
    poolSize: 1,
    applicationName: 'jest-setup',
  });
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  await createTopics(state.kafkaBrokers, state.topicPrefix);

  saveState(state);
  Object.assign(process.env, {
    TEST_RUN_ID: runId,
    DATABASE_URL: state.databaseUrl,
    KAFKA_BROKERS: state.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: state.topicPrefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
}
