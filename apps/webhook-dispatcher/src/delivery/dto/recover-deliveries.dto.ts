import { ApiProperty } from '@nestjs/swagger';
import { IsRfc3339DateTime } from '@app/http';

export class RecoverDeliveriesDto {
  @ApiProperty({
    format: 'date-time',
    description: 'Failed deliveries created at or after this time (RFC 3339, not in the future) are retried',
    example: '2026-04-18T10:00:00Z',
  })
  @IsRfc3339DateTime()
  since!: string;
}
