import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';

/**
 * TEST_INFRA=containers, where Docker runs: the same infrastructure from images instead of the local broker
 * and cluster. (This machine has no Docker engine; the default path starts the real broker from Maven jars.)
 */
export async function startContainers(): Promise<{
  kafkaBrokers: string;
  postgresUrl: string;
  ids: string[];
}> {
  const postgres = await new GenericContainer('postgres:16')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const kafkaPort = 19092;
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${kafkaPort},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  return {
    kafkaBrokers: `127.0.0.1:${kafkaPort}`,
    postgresUrl: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    ids: [postgres.getId(), kafka.getId()],
  };
}

export async function stopContainers(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const client = await getContainerRuntimeClient();
  for (const id of ids) {
    await client.container
      .getById(id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}
