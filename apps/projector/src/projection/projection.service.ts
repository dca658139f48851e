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
import { APP_CONFIG, type ProjectorEnv } from '@app/config';
import {
  ConsumerRunner,
  KAFKA_CLIENT,
  KafkaPublisher,
  type TopicHandler,
  TopicResolver,
  workspaceChecked,
} from '@app/kafka';
import { CustomerChangesHandler } from './customer-changes.handler';
import { CustomerEventsHandler } from './customer-events.handler';

/** Runs the projector's consumer group over both topics; leaves the group on shutdown after the batch in hand. */
@Injectable()
export class ProjectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionService.name);
  private readonly runner: ConsumerRunner;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(APP_CONFIG) config: ProjectorEnv,
    publisher: KafkaPublisher,
    topics: TopicResolver,
    events: CustomerEventsHandler,
    changes: CustomerChangesHandler,
    workspaces: KnownWorkspaces,
  ) {
    // Messages of a workspace that does not exist go to the DLQ instead of into the read models.
    const unknownAmong = (ids: string[]) => workspaces.unknownAmong(ids);
    this.runner = new ConsumerRunner(kafka, publisher, {
      groupId: config.PROJECTOR_GROUP_ID,
      sessionTimeout: config.PROJECTOR_SESSION_TIMEOUT_MS ?? config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
      handlers: new Map<string, TopicHandler<unknown>>([
        [topics.name(TOPICS.customerEvents), workspaceChecked(events, unknownAmong)],
        [topics.name(TOPICS.customerChanges), workspaceChecked(changes, unknownAmong)],
      ]),
    });
  }

  onApplicationBootstrap(): void {
    // Not awaited: the HTTP API serves while the consumer joins its group (and retries if Kafka is down).
    this.runner
      .start()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Projection consumer failed to start'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
