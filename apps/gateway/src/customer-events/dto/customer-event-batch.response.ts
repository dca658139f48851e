import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DomainError } from '@app/http';
import { ErrorBodySchema } from '@app/http/openapi';
import type { IngestOutcome } from '../ingest-outcome';
import { CustomerEventResponse } from './customer-event.response';

export class CustomerEventBatchResult {
  @ApiProperty({ example: 0, description: 'Position of the item in `events`' })
  index!: number;

  @ApiProperty({ example: true })
  success!: boolean;

  @ApiPropertyOptional({ type: CustomerEventResponse, description: 'When success is true' })
  data?: CustomerEventResponse;

  @ApiPropertyOptional({
    type: ErrorBodySchema,
    description: 'When success is false: the error the single-event endpoint would have answered',
  })
  error?: ErrorBodySchema;
}

export class CustomerEventBatchResponse {
  @ApiProperty({ example: 1 })
  accepted!: number;

  @ApiProperty({ example: 1 })
  rejected!: number;

  @ApiProperty({
    type: [CustomerEventBatchResult],
    example: [
      {
        index: 0,
        success: true,
        data: {
          id: 'cev_01JS1XQ7K3M4N5P6Q7R8S9T0VW',
          customerId: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK',
          type: 'order.placed',
          title: 'Order ord_9001 placed: 149.90 USD',
          payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
          occurredAt: '2026-04-18T10:00:00.000Z',
          createdAt: '2026-04-18T10:00:00.000Z',
        },
      },
      {
        index: 1,
        success: false,
        error: {
          code: 'CUSTOMER_NOT_FOUND',
          message: 'No customer with externalId "user_43" in this workspace',
          details: [{ field: 'customerExternalId', message: 'matches no customer of this workspace' }],
        },
      },
    ],
  })
  results!: CustomerEventBatchResult[];
}

export function itemError(index: number, error: DomainError): CustomerEventBatchResult {
  return {
    index,
    success: false,
    error: { code: error.code, message: error.message, details: error.details },
  };
}

export function itemResult(index: number, outcome: IngestOutcome): CustomerEventBatchResult {
  return outcome.ok ? { index, success: true, data: outcome.event } : itemError(index, outcome.error);
}

export function batchResponse(results: CustomerEventBatchResult[]): CustomerEventBatchResponse {
  const accepted = results.filter((r) => r.success).length;
  return { accepted, rejected: results.length - accepted, results };
}
