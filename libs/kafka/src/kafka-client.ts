import { Kafka, type KafkaConfig } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';
import type { KafkaOptions } from './kafka.options';

export function createKafkaClient(options: KafkaOptions, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl,
    logCreator: kafkaLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    ...overrides,
  });
}
