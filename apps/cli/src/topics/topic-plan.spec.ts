import { CliEnv, loadConfig } from '@app/config';
import { driftOf, topicSpecOf } from './topic-plan';

describe(topicSpecOf.name, () => {
  it('gives a replicated topic min.insync.replicas 2 and the configured retention; a DLQ one partition', () => {
    const config = loadConfig(CliEnv, { KAFKA_REPLICATION_FACTOR: '3', KAFKA_RETENTION_MS: '86400000' });
    expect(topicSpecOf(config, 'customer-events.v1')).toEqual({
      topic: 'customer-events.v1',
      partitions: 12,
      replication: 3,
      configs: { 'min.insync.replicas': '2', 'retention.ms': '86400000' },
    });
    expect(topicSpecOf(config, 'customer-events.v1.dlq').partitions).toBe(1);
  });
});

describe(driftOf.name, () => {
  const spec = topicSpecOf(loadConfig(CliEnv, { KAFKA_REPLICATION_FACTOR: '3' }), 'customer-events.v1');

  it('reports nothing when the topic matches', () => {
    expect(driftOf(spec, { ...spec })).toEqual([]);
  });

  it('names each difference and the setting behind it', () => {
    expect(
      driftOf(spec, {
        topic: spec.topic,
        partitions: 3,
        replication: 1,
        configs: { 'min.insync.replicas': '1', 'retention.ms': '604800000' },
      }),
    ).toEqual([
      'customer-events.v1: 3 partitions, KAFKA_PARTITIONS wants 12',
      'customer-events.v1: replication 1, KAFKA_REPLICATION_FACTOR wants 3',
      'customer-events.v1: min.insync.replicas=1, KAFKA_MIN_INSYNC_REPLICAS wants 2',
    ]);
  });
});
