import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { type ProjectorEnv } from '@app/config';
import { PlatformModule } from '@app/platform';
import { CustomersModule } from './customers';
import { LiveModule } from './live';
import { LIVE_TABLES, ProjectionModule } from './projection';
import { TimelineModule } from './timeline';

/** The projector: its infrastructure and its features (layering in docs/architecture.md). */
@Module({})
export class ProjectorModule {
  static forRoot(config: ProjectorEnv): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        PlatformModule.forRoot(config, {
          service: 'projector',
          cursors: config,
          consumerGroup: {
            groupId: config.PROJECTOR_GROUP_ID,
            sessionTimeout: config.PROJECTOR_SESSION_TIMEOUT_MS ?? config.KAFKA_SESSION_TIMEOUT_MS,
            partitionsConsumedConcurrently: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
          },
        }),
        ProjectionModule.forTables(LIVE_TABLES, { imports: [AuthModule] }),
        TimelineModule,
        LiveModule,
        CustomersModule,
      ],
    };
  }
}
