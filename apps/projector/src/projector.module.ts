import { type DynamicModule, Logger, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ApiKeyRevocations, AuthModule } from '@app/auth';
import { APP_CONFIG, cursorSecret, type ProjectorEnv } from '@app/config';
import { DatabaseModule } from '@app/database';
import { allTopics } from '@app/contracts';
import { CursorSigner } from '@app/http';
import { kafkaBatchServerProvider, KafkaModule, kafkaOptionsOf } from '@app/kafka';
import { ObservabilityModule } from '@app/observability';
import { CustomerProfileController } from './customers/customer-profile.controller';
import { CustomerProfileService } from './customers/customer-profile.service';
import { CustomerSearchController } from './customers/customer-search.controller';
import { CustomerSearchRepository } from './directory/customer-search.repository';
import { DirectoryRepository } from './directory/directory.repository';
import { ProjectionLagHeaderMiddleware } from './lag/projection-lag-header.middleware';
import { ProjectionLagMonitor } from './lag/projection-lag.monitor';
import { LiveTimelineController } from './live/live-timeline.controller';
import { LiveTimelineRepository } from './live/live-timeline.repository';
import { LiveTimelineService } from './live/live-timeline.service';
import { TimelineNotifications } from './live/timeline-notifications';
import { ProjectionModule } from './projection/projection.module';
import { LIVE_TABLES } from './projection/read-model-tables';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineTypesRepository } from './timeline/timeline-types.repository';
import { TimelineRepository } from './timeline/timeline.repository';
import { TimelineService } from './timeline/timeline.service';

function cursorSigner(config: ProjectorEnv): CursorSigner {
  const { key, insecure } = cursorSecret(config);
  if (insecure)
    new Logger('Cursors').warn(
      'CURSOR_SECRET is not set: cursors are signed with the public development key',
    );
  return new CursorSigner(key);
}

@Module({})
export class ProjectorModule implements NestModule {
  static forRoot(config: ProjectorEnv): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'projector',
          level: config.LOG_LEVEL,
          logHttpRequests: config.LOG_HTTP_REQUESTS,
          levelFormat: config.LOG_LEVEL_FORMAT,
          timeFormat: config.LOG_TIME_FORMAT,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'projector',
        }),
        KafkaModule.forRoot(kafkaOptionsOf(config, 'projector', allTopics(config.KAFKA_TOPIC_PREFIX))),
        AuthModule,
        ProjectionModule.forTables(LIVE_TABLES, { imports: [AuthModule] }),
      ],
      controllers: [
        TimelineController,
        LiveTimelineController,
        CustomerSearchController,
        CustomerProfileController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        DirectoryRepository,
        { provide: CursorSigner, useFactory: () => cursorSigner(config) },
        TimelineRepository,
        TimelineTypesRepository,
        CustomerSearchRepository,
        TimelineService,
        kafkaBatchServerProvider({
          groupId: config.PROJECTOR_GROUP_ID,
          sessionTimeout: config.PROJECTOR_SESSION_TIMEOUT_MS ?? config.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
        }),
        ProjectionLagMonitor,
        ProjectionLagHeaderMiddleware,
        CustomerProfileService,
        TimelineNotifications,
        ApiKeyRevocations,
        LiveTimelineRepository,
        LiveTimelineService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ProjectionLagHeaderMiddleware).forRoutes(TimelineController);
  }
}
