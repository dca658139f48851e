import { ApiProperty } from '@nestjs/swagger';

/** `data` of a created customer event (documentation of CustomerEventView). */
export class CustomerEventResponse {
  @ApiProperty({ example: 'cev_01JS1XQ7K3M4N5P6Q7R8S9T0VW' })
  id!: string;

  @ApiProperty({ example: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  customerId!: string;

  @ApiProperty({ example: 'order.placed' })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Order ord_9001 placed: 149.90 USD',
    description: 'The one-line summary sent with the event; null when none was sent',
  })
  title!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
  })
  payload!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time', example: '2026-04-18T10:00:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-04-18T10:00:00.000Z' })
  createdAt!: string;
}
