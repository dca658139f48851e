import { ApiProperty } from '@nestjs/swagger';

/** `@ApiProperty(DATE_TIME)`: an instant as the API answers it (UTC, milliseconds). */
export const DATE_TIME = { type: String, format: 'date-time', example: '2026-04-18T10:00:00.000Z' } as const;

/**
 * An event as the APIs show it: the gateway's answer to an accepted event (which adds its customerId) and an
 * item of the projector's timeline (a business event or a customer change).
 */
export class EventItemResponse {
  @ApiProperty({ example: 'cev_01JS1XQ7K3M4N5P6Q7R8S9T0VW' })
  id!: string;

  @ApiProperty({ example: 'order.placed' })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Order ord_9001 placed: 149.90 USD',
    description: 'The one-line summary its producer sent; null when none was sent (and for customer changes)',
  })
  title!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
  })
  payload!: Record<string, unknown>;

  @ApiProperty(DATE_TIME)
  occurredAt!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;
}
