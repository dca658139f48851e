import { ApiProperty } from '@nestjs/swagger';
import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { RawJson } from '@app/http';
import { CustomerEventBatchItemDto } from './customer-event-batch-item.dto';

export const MAX_BATCH_EVENTS = 1000;

/** One rule, one message: "missing", "not an array", "empty" and "too long" all read the same way. */
@ValidatorConstraint({ name: 'isEventList' })
class IsEventList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.length >= 1 && value.length <= MAX_BATCH_EVENTS;
  }

  defaultMessage(): string {
    return `events must be an array of 1 to ${MAX_BATCH_EVENTS} events`;
  }
}

/**
 * The batch body. Only its shape is checked here; each item is validated on its own (see batch-item.validator)
 * so that one bad item is reported in its result instead of failing the whole batch.
 */
export class CustomerEventBatchDto {
  @ApiProperty({
    type: [CustomerEventBatchItemDto],
    minItems: 1,
    maxItems: MAX_BATCH_EVENTS,
    example: [
      {
        customerExternalId: 'user_42',
        type: 'order.placed',
        title: 'Order ord_9001 placed: 149.90 USD',
        payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
        idempotencyKey: 'order-ord_9001-placed',
      },
      { customerExternalId: 'user_42', type: 'order.shipped', occurredAt: '2026-04-19T08:30:00Z' },
    ],
  })
  @Validate(IsEventList)
  @RawJson()
  events!: unknown[];
}
