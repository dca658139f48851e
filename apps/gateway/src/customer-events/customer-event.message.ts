import { type CustomerEventMessage, newId } from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { PayloadTooLargeError, toUtcIso } from '@app/http';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';

export const MAX_PAYLOAD_BYTES = 32 * 1024;

/** The 32 KiB payload rule, checked on the serialised form (what is stored and sent). */
export function payloadTooLarge(dto: CreateCustomerEventDto): PayloadTooLargeError | undefined {
  if (Buffer.byteLength(JSON.stringify(dto.payload ?? {})) <= MAX_PAYLOAD_BYTES) return undefined;
  return new PayloadTooLargeError('payload is larger than 32 KiB', [
    { field: 'payload', message: 'must be at most 32 KiB serialised' },
  ]);
}

/** The customer-events.v1 message for a validated body whose customer was found. */
export function buildCustomerEventMessage(
  auth: AuthContext,
  dto: CreateCustomerEventDto,
  customerId: string,
  now = new Date(),
): CustomerEventMessage {
  const createdAt = now.toISOString();
  return {
    id: newId('cev'),
    workspaceId: auth.workspaceId,
    customerId,
    customerExternalId: dto.customerExternalId,
    type: dto.type,
    payload: dto.payload ?? {},
    occurredAt: dto.occurredAt ? toUtcIso(dto.occurredAt) : createdAt,
    createdAt,
  };
}
