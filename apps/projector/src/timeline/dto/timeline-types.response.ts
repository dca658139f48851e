import { ApiProperty } from '@nestjs/swagger';
import type { TimelineTypeCount } from '../timeline-types.repository';

export class TimelineTypeCountResponse implements TimelineTypeCount {
  @ApiProperty({ example: 'order.placed' })
  type!: string;

  @ApiProperty({ example: 12 })
  count!: number;
}

export class TimelineTypesResponse {
  @ApiProperty({
    type: [TimelineTypeCountResponse],
    description:
      'Every type on the timeline with its number of items, most frequent first (500 types at most)',
  })
  items!: TimelineTypeCountResponse[];
}
