export { TimelineModule } from './timeline.module';
export type { TimelineItem } from './timeline.repository';
export { TIMELINE_ITEM_COLUMNS, type TimelineItemRow, toTimelineItem } from './timeline-item-rows';
