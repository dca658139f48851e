import { ApiProperty } from '@nestjs/swagger';
import { EventItemResponse, type SameShape } from '@app/http/openapi';
import type { TimelineItem } from '../timeline.repository';

/** One item of a timeline: a business event or a customer change, as the read model holds it. */
export class TimelineItemResponse extends EventItemResponse {}

const _shape: SameShape<TimelineItemResponse, TimelineItem> = true;

export class TimelinePageResponse {
  @ApiProperty({ type: [TimelineItemResponse], description: 'Newest first' })
  items!: TimelineItemResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;

  @ApiProperty()
  hasMore!: boolean;
}
