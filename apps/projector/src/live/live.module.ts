import { Module } from '@nestjs/common';
import { ApiKeyRevocations, AuthModule } from '@app/auth';
import { DirectoryModule } from '../directory';
import { LiveTimelineController } from './live-timeline.controller';
import { LiveTimelineRepository } from './live-timeline.repository';
import { LiveTimelineService } from './live-timeline.service';
import { TimelineNotifications } from './timeline-notifications';

/** Live timelines (Server-Sent Events): fed by what the projection announces on its channel. */
@Module({
  imports: [AuthModule, DirectoryModule],
  controllers: [LiveTimelineController],
  providers: [TimelineNotifications, ApiKeyRevocations, LiveTimelineRepository, LiveTimelineService],
})
export class LiveModule {}
