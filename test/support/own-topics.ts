import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { allTopics } from '../../libs/contracts/src/topics';

/**
 * Gives the calling test file topics of its own: a fresh prefix under the run's, with every topic created
 * (3 partitions, 1 for the DLQs), set as KAFKA_TOPIC_PREFIX for the apps the file starts afterwards.
 *
 * A file that starts a consumer group of its own needs this: a new group reads from the earliest offset, so
 * on the run's shared topics it would first have to work through everything the files before it published
 * (the import test alone publishes 130,000 events), and how long that takes depends on the order jest
 * happens to pick. Jest gives each test file its own copy of process.env, so the change stays in the file.
 * The run's global teardown deletes these topics with the rest (they share the run's prefix).
 */
export async function useOwnTopics(tag: string): Promise<string> {
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX!}${tag}-${randomBytes(3).toString('hex')}.`;
  await createTopics(process.env.KAFKA_BROKERS!, prefix);
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  return prefix;
}

/** Creates every topic of the contract under `prefix` on `brokers`: 3 partitions each, 1 for the DLQs. */
export async function createTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-topics',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: allTopics(prefix).map((topic) => ({
        topic,
        numPartitions: topic.endsWith('.dlq') ? 1 : 3,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
