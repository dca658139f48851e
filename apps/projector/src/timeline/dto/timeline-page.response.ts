import { ApiProperty } from '@nestjs/swagger';
import type { TimelineItem } from '../timeline.repository';
import type { TimelinePage } from '../timeline.service';

const DATE_TIME = { type: String, format: 'date-time', example: '2026-04-18T10:00:00.000Z' } as const;

export class TimelineItemResponse implements TimelineItem {
  @ApiProperty({ example: 'cev_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  id!: string;

  @ApiProperty({ example: 'order.placed' })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Order ord_9001 placed: 149.90 USD',
    description: 'The one-line summary its producer sent; null when none was sent and for customer changes',
  })
  title!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: 'ord_9001', total: 149.9 } })
  payload!: Record<string, unknown>;

  @ApiProperty(DATE_TIME)
  occurredAt!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;
}

export class TimelinePageResponse implements TimelinePage {
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
