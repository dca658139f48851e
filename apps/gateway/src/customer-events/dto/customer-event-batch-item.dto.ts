import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CreateCustomerEventDto } from './create-customer-event.dto';

/** One event of a batch: the single-event body plus the Idempotency-Key it would have had as a header. */
export class CustomerEventBatchItemDto extends CreateCustomerEventDto {
  @ApiPropertyOptional({
    example: 'order-ord_9001-placed',
    minLength: 1,
    maxLength: 255,
    description: 'Like the Idempotency-Key header of the single-event endpoint, for this item',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}
