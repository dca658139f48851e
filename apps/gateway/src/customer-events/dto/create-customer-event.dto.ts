import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { CUSTOMER_EVENT_TYPE_PATTERN } from '@app/contracts';
import { IsEventTitle, IsJsonObject, IsOmittable, IsRfc3339DateTime, RawJson } from '@app/http';

// The optional fields may be left out, but not sent as null (IsOmittable): an import whose `occurredAt` is
// null must not silently become "now".

export class CreateCustomerEventDto {
  @ApiProperty({ example: 'user_42', minLength: 1, maxLength: 255, description: "The customer's externalId" })
  @IsString()
  @Length(1, 255)
  customerExternalId!: string;

  @ApiProperty({
    example: 'order.placed',
    pattern: CUSTOMER_EVENT_TYPE_PATTERN.source,
    description: 'Event name in domain.action form: lowercase letters, digits, "_" and ".", 100 at most',
  })
  @IsString()
  @Matches(CUSTOMER_EVENT_TYPE_PATTERN, { message: 'type must match [a-z0-9_.]{1,100} (e.g. order.placed)' })
  type!: string;

  @ApiPropertyOptional({
    example: 'Order ord_9001 placed: 149.90 USD',
    minLength: 1,
    maxLength: 200,
    description:
      'The one-line summary an agent sees on the timeline: 1–200 characters of plain text (no tab, newline or ' +
      'other control character, not only spaces), stored and shown as sent. Null in the answer when left out',
  })
  @IsOmittable()
  @IsEventTitle()
  title?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
    description: 'Free-form JSON object, at most 32 KiB serialised; {} when left out',
  })
  @IsOmittable()
  @IsJsonObject()
  @RawJson()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: '2026-04-18T10:00:00Z',
    format: 'date-time',
    description:
      'RFC 3339 date-time with an offset, on a real calendar date; default: now. Allows antidating',
  })
  @IsOmittable()
  @IsRfc3339DateTime()
  occurredAt?: string;
}
