import { ApiProperty } from '@nestjs/swagger';
import type { SameShape } from '@app/http/openapi';
import type { TimelineTypeCount } from '../timeline-types.repository';

export class TimelineTypeCountResponse {
  @ApiProperty({ example: 'order.placed' })
  type!: string;

  @ApiProperty({ example: 12 })
  count!: number;
}

const _shape: SameShape<TimelineTypeCountResponse, TimelineTypeCount> = true;

export class TimelineTypesResponse {
  @ApiProperty({
    type: [TimelineTypeCountResponse],
    description:
      'Every type on the timeline with its number of items, most frequent first (500 types at most)',
  })
  items!: TimelineTypeCountResponse[];
}
