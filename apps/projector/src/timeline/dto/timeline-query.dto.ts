import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { CUSTOMER_EVENT_TYPE_PATTERN } from '@app/contracts';
import { IsRfc3339DateTime, PageQuery } from '@app/http';

/** `a,b,c` as ['a', 'b', 'c']. */
const CommaList = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value));

/** A timeline page: its cursors carry the position and the filters, and stay under 400 characters. */
export class TimelineQueryDto extends PageQuery(400) {
  @ApiPropertyOptional({ example: 'order.placed,order.shipped', description: 'Comma-separated event types' })
  @IsOptional()
  @CommaList()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(CUSTOMER_EVENT_TYPE_PATTERN, { each: true, message: 'types must be a comma list of event types' })
  types?: string[];

  @ApiPropertyOptional({
    example: 'customer.customer_updated,page.viewed',
    description: 'Comma-separated event types to leave out (applied after `types`)',
  })
  @IsOptional()
  @CommaList()
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
