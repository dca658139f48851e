import { type Admin, ConfigResourceTypes, logLevel } from 'kafkajs';
import { allTopics } from '@app/contracts';
import type { CliEnv } from '@app/config';
import { createKafkaClient, kafkaOptionsOf } from '@app/kafka';
import { driftOf, type TopicSpec, topicSpecOf, type TopicState } from './topic-plan';

export interface TopicsReport {
  created: string[];
  /** Existing topics that differ from the settings: nothing is changed, the operator decides. */
  drift: string[];
}

/** Creates the missing topics (with min.insync.replicas and retention) and compares the existing ones. */
export async function createTopics(
  config: CliEnv,
  prefix = config.KAFKA_TOPIC_PREFIX,
): Promise<TopicsReport> {
  const kafka = createKafkaClient(
    { ...kafkaOptionsOf(config, 'cli'), clientId: 'supportdesk-cli' },
    {
      logLevel: logLevel.WARN,
      logCreator: undefined,
    },
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const specs = allTopics(prefix).map((topic) => topicSpecOf(config, topic));
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      // kafkajs's own waitForLeaders gives up when the broker it asks has not yet heard of a new topic
      // (usual on a cluster of several brokers under KRaft); waitForLeaders below retries that.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replication,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(
        admin,
        missing.map((spec) => spec.topic),
      );
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    const states = await describe(admin, present);
    return {
      created: missing.map((spec) => spec.topic),
      drift: present.flatMap((spec, i) => driftOf(spec, states[i])),
    };
  } finally {
    await admin.disconnect();
  }
}

async function describe(admin: Admin, specs: TopicSpec[]): Promise<TopicState[]> {
  if (specs.length === 0) return [];
  const topics = specs.map((spec) => spec.topic);
  const [metadata, configs] = await Promise.all([
    admin.fetchTopicMetadata({ topics }),
    admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: Object.keys(specs[0].configs),
      })),
    }),
  ]);
  return specs.map((spec) => {
    const partitions = metadata.topics.find((t) => t.name === spec.topic)?.partitions ?? [];
    const entries = configs.resources.find((r) => r.resourceName === spec.topic)?.configEntries ?? [];
    return {
      topic: spec.topic,
      partitions: partitions.length,
      replication: Math.min(...partitions.map((p) => p.replicas.length)),
      configs: Object.fromEntries(entries.map((e) => [e.configName, e.configValue])),
    };
  });
}

const LEADERS_TIMEOUT_MS = 30_000;

/** Until every partition of the new topics has a leader, as seen by the cluster's metadata. */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      if (found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics have no leader after ${LEADERS_TIMEOUT_MS} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
