import { Kafka, logLevel } from 'kafkajs';
import { dropDatabase } from '../../libs/database/src/ensure-database';
import { stopContainers } from './containers';
import { kafkaScript, loadState } from './infra-state';

/** Drops the run's database and topics, and stops only what global setup itself started. */
export default async function globalTeardown(): Promise<void> {
  const state = loadState(process.env.TEST_RUN_ID ?? '');
  if (!state) return;
  if (process.env.TEST_KEEP_DATA !== 'true') {
    await dropDatabase(state.databaseUrl).catch(() => undefined);
    const kafka = new Kafka({
      clientId: 'jest-teardown',
      brokers: state.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(state.topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10000 });
    } catch {
      // A broker stopped by a fault test may be gone already; its data dir is per port and disposable.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  if (state.startedBroker) kafkaScript('stop');
  await stopContainers(state.containers);
}
