export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
