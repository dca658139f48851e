import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CUSTOMER_EVENT_TYPE_PATTERN } from '@app/contracts';
import { IsRfc3339DateTime } from '@app/http';

export class TimelineQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;

  @ApiPropertyOptional({ example: 'order.placed,order.shipped', description: 'Comma-separated event types' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(CUSTOMER_EVENT_TYPE_PATTERN, { each: true, message: 'types must be a comma list of event types' })
  types?: string[];

  @ApiPropertyOptional({
    example: 'customer.customer_updated,page.viewed',
    description: 'Comma-separated event types to leave out (applied after `types`)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(CUSTOMER_EVENT_TYPE_PATTERN, {
    each: true,
    message: 'excludeTypes must be a comma list of event types',
  })
  excludeTypes?: string[];

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00Z',
    description: 'Inclusive lower bound on occurredAt (years 0001–9999 once its offset is applied)',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-02-01T00:00:00Z',
    description: 'Exclusive upper bound on occurredAt (years 0001–9999 once its offset is applied)',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  to?: string;
}
