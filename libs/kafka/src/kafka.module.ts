import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';
import { KafkaPublisher, PUBLISHER_OPTIONS, type PublisherOptions } from './kafka-publisher';
import { KAFKA_CLIENT, KAFKA_OPTIONS, type KafkaOptions } from './kafka.options';
import { TopicResolver } from './topic-resolver';

export function createKafkaClient(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logCreator: kafkaLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

const DEFAULT_PUBLISHER: PublisherOptions = { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 };

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaOptions, publisher: Partial<PublisherOptions> = {}): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: KAFKA_CLIENT, useFactory: () => createKafkaClient(options) },
        { provide: PUBLISHER_OPTIONS, useValue: { ...DEFAULT_PUBLISHER, ...publisher } },
        KafkaPublisher,
        TopicResolver,
      ],
      exports: [KAFKA_CLIENT, KAFKA_OPTIONS, KafkaPublisher, TopicResolver],
    };
  }
}
