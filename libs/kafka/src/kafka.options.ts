import type { CommonEnv } from '@app/config';
import { type KafkaSecurity, kafkaSecurityOf } from './kafka-security';

export interface KafkaOptions extends KafkaSecurity {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  /** Topics (prefix applied) the app checks at boot: they must exist; under NODE_ENV=production, replicated 3×. */
  requiredTopics?: string[];
  production?: boolean;
}

/** Everything an app needs to reach the cluster, from its validated settings. */
export function kafkaOptionsOf(config: CommonEnv, service: string, requiredTopics?: string[]): KafkaOptions {
  return {
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `${config.KAFKA_CLIENT_ID}-${service}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    ...kafkaSecurityOf(config),
    requiredTopics,
    production: config.NODE_ENV === 'production',
  };
}

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
