import { type CliEnv, minInsyncReplicasOf } from '@app/config';

/** What `topics create` wants every topic to be; an existing topic that differs is drift, reported. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  replication: number;
  configs: Record<string, string>;
}

export interface TopicState {
  topic: string;
  partitions: number;
  replication: number;
  configs: Record<string, string | undefined>;
}

export function topicSpecOf(config: CliEnv, topic: string): TopicSpec {
  return {
    topic,
    // A DLQ keeps its messages in one order to be read back by hand.
    partitions: topic.endsWith('.dlq') ? 1 : config.KAFKA_PARTITIONS,
    replication: config.KAFKA_REPLICATION_FACTOR,
    configs: {
      'min.insync.replicas': String(minInsyncReplicasOf(config)),
      'retention.ms': String(config.KAFKA_RETENTION_MS),
    },
  };
}

/** One line per difference between what is wanted and what the cluster has, naming the setting behind it. */
export function driftOf(spec: TopicSpec, actual: TopicState): string[] {
  const drift: string[] = [];
  if (actual.partitions !== spec.partitions)
    drift.push(`${spec.topic}: ${actual.partitions} partitions, KAFKA_PARTITIONS wants ${spec.partitions}`);
  if (actual.replication !== spec.replication)
    drift.push(
      `${spec.topic}: replication ${actual.replication}, KAFKA_REPLICATION_FACTOR wants ${spec.replication}`,
    );
  const settingOf: Record<string, string> = {
    'min.insync.replicas': 'KAFKA_MIN_INSYNC_REPLICAS',
    'retention.ms': 'KAFKA_RETENTION_MS',
  };
  for (const [name, wanted] of Object.entries(spec.configs)) {
    if (actual.configs[name] !== wanted)
      drift.push(
        `${spec.topic}: ${name}=${actual.configs[name] ?? '(unset)'}, ${settingOf[name]} wants ${wanted}`,
      );
  }
  return drift;
}
