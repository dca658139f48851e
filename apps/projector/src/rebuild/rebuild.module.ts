import { type DynamicModule, Module } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { type ProjectorEnv } from '@app/config';
import { TOPICS } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KAFKA_CLIENT, KafkaModule, kafkaOptionsOf, KafkaPublisher, TopicResolver } from '@app/kafka';
import { ReadModelRebuild, type RebuildOptions } from './read-model-rebuild';

/**
 * `projector rebuild` as a Nest application context: the projector's own database and Kafka modules (its
 * settings, its publisher for the DLQ), and the rebuild, which boots the projection module on the rebuild
 * tables with its own consumer group.
 */
@Module({})
export class RebuildModule {
  static forRoot(
    config: ProjectorEnv,
    options: Omit<
      RebuildOptions,
      'eventsTopic' | 'changesTopic' | 'sessionTimeoutMs' | 'partitionsConsumedConcurrently'
    >,
  ): DynamicModule {
    return {
      module: RebuildModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: 6,
          applicationName: 'projector-rebuild',
        }),
        KafkaModule.forRoot(kafkaOptionsOf(config, 'projector-rebuild')),
      ],
      providers: [
        {
          provide: ReadModelRebuild,
          useFactory: (db: DataSource, kafka: Kafka, publisher: KafkaPublisher, topics: TopicResolver) =>
            new ReadModelRebuild(db, kafka, publisher, {
              ...options,
              eventsTopic: topics.name(TOPICS.customerEvents),
              changesTopic: topics.name(TOPICS.customerChanges),
              sessionTimeoutMs: config.PROJECTOR_SESSION_TIMEOUT_MS ?? config.KAFKA_SESSION_TIMEOUT_MS,
              partitionsConsumedConcurrently: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
            }),
          inject: [DataSource, KAFKA_CLIENT, KafkaPublisher, TopicResolver],
        },
      ],
    };
  }
}
