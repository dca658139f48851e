export { ProjectionModule } from './projection.module';
export { LIVE_TABLES, type ReadModelTables, REBUILD_TABLES } from './read-model-tables';
export { parseTimelineNotification, TIMELINE_CHANNEL, timelineStreamKey } from './timeline-channel';
