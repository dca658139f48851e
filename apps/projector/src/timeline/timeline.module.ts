import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { DirectoryModule } from '../directory';
import { LagModule, ProjectionLagHeaderMiddleware } from '../lag';
import { TimelineController } from './timeline.controller';
import { TimelineTypesRepository } from './timeline-types.repository';
import { TimelineRepository } from './timeline.repository';
import { TimelineService } from './timeline.service';

/** The timeline read API: pages, type counts; every answer carries X-Projection-Lag-Ms. */
@Module({
  imports: [AuthModule, DirectoryModule, LagModule],
  controllers: [TimelineController],
  providers: [TimelineRepository, TimelineTypesRepository, TimelineService],
})
export class TimelineModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ProjectionLagHeaderMiddleware).forRoutes(TimelineController);
  }
}
