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
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replication,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        })),
      });
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
