import { type DynamicModule, Global, Module } from '@nestjs/common';
import { KafkaBootCheck } from './kafka-boot-check';
import { createKafkaClient } from './kafka-client';
import { KafkaPublisher, PUBLISHER_OPTIONS, type PublisherOptions } from './kafka-publisher';
import { KAFKA_CLIENT, KAFKA_OPTIONS, type KafkaOptions } from './kafka.options';
import { TopicResolver } from './topic-resolver';

export { createKafkaClient } from './kafka-client';

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
        KafkaBootCheck,
      ],
      exports: [KAFKA_CLIENT, KAFKA_OPTIONS, KafkaPublisher, TopicResolver],
    };
  }
}
