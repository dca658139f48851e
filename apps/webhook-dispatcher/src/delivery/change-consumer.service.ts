import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { TOPICS } from '@app/contracts';
import { KnownWorkspaces } from '@app/auth';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import {
  ConsumerRunner,
  KAFKA_CLIENT,
  KafkaPublisher,
  type TopicHandler,
  TopicResolver,
  workspaceChecked,
} from '@app/kafka';
import { CustomerChangesHandler } from './customer-changes.handler';

/** The dispatcher's consumer group on customer-changes.v1; leaves the group on shutdown after the batch in hand. */
@Injectable()
export class ChangeConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChangeConsumer.name);
  private readonly runner: ConsumerRunner;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(APP_CONFIG) config: DispatcherEnv,
    publisher: KafkaPublisher,
    topics: TopicResolver,
    changes: CustomerChangesHandler,
    workspaces: KnownWorkspaces,
  ) {
    // A change of a workspace that does not exist goes to the DLQ rather than being silently dropped.
    const checked = workspaceChecked(changes, (ids) => workspaces.unknownAmong(ids));
    this.runner = new ConsumerRunner(kafka, publisher, {
      groupId: config.DISPATCHER_GROUP_ID,
      sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
      handlers: new Map<string, TopicHandler<unknown>>([[topics.name(TOPICS.customerChanges), checked]]),
    });
  }

  onApplicationBootstrap(): void {
    // Not awaited: the API serves, and due retries go out, while the consumer joins its group.
    this.runner
      .start()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Change consumer failed to start'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
