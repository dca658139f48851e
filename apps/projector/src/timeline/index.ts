export { TimelineModule } from './timeline.module';
export type { TimelineItem } from './timeline.repository';
