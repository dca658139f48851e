import { ApiProperty } from '@nestjs/swagger';
import type { CustomerEventMessage } from '@app/contracts';
import { EventItemResponse, type SameShape } from '@app/http/openapi';

/** `data` of an accepted event: the message as published, without the workspace and the externalId. */
export class CustomerEventResponse extends EventItemResponse {
  @ApiProperty({ example: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  customerId!: string;
}

const _shape: SameShape<
  CustomerEventResponse,
  Omit<CustomerEventMessage, 'workspaceId' | 'customerExternalId'>
> = true;

export function toCustomerEventResponse(message: CustomerEventMessage): CustomerEventResponse {
  return {
    id: message.id,
    customerId: message.customerId,
    type: message.type,
    title: message.title,
    payload: message.payload,
    occurredAt: message.occurredAt,
    createdAt: message.createdAt,
  };
}
