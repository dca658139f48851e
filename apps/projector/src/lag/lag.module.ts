import { Module } from '@nestjs/common';
import { ProjectionLagHeaderMiddleware } from './projection-lag-header.middleware';
import { ProjectionLagMonitor } from './projection-lag.monitor';

/** How far the projection is behind Kafka: the lag monitor and the X-Projection-Lag-Ms middleware. */
@Module({
  providers: [ProjectionLagMonitor, ProjectionLagHeaderMiddleware],
  exports: [ProjectionLagMonitor, ProjectionLagHeaderMiddleware],
})
export class LagModule {}
