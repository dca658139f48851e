import {
  ContractViolationError,
  customerEventMessages,
  type CustomerEventMessage,
  newId,
  type StorableProblem,
  storableJsonProblem,
  storableTextProblem,
} from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { PayloadTooLargeError, toUtcIso, ValidationError } from '@app/http';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';
import type { IngestRequest } from './ingest-outcome';

export const MAX_PAYLOAD_BYTES = 32 * 1024;

/** The 32 KiB payload rule, checked on the serialised form (what is stored and sent). */
export function payloadTooLarge(dto: CreateCustomerEventDto): PayloadTooLargeError | undefined {
  if (Buffer.byteLength(JSON.stringify(dto.payload ?? {})) <= MAX_PAYLOAD_BYTES) return undefined;
  return new PayloadTooLargeError('payload is larger than 32 KiB', [
    { field: 'payload', message: 'must be at most 32 KiB serialised' },
  ]);
}

const textProblem = (field: string, value: string | undefined): StorableProblem | undefined => {
  const message = value === undefined ? undefined : storableTextProblem(value);
  return message === undefined ? undefined : { field, message };
};

/**
 * What the gateway acknowledges, every consumer can store: no NUL or lone surrogate in any string or key, no
 * number beyond ±(2^53−1), no nesting deeper than 32 levels (one walk of the payload). Checked per event, so a
 * batch refuses only the items at fault. `type` and `occurredAt` are already held to patterns that exclude them.
 */
export function unstorableEvent({ dto, idempotencyKey }: IngestRequest): ValidationError | undefined {
  const problem =
    textProblem('customerExternalId', dto.customerExternalId) ??
    textProblem('idempotencyKey', idempotencyKey) ??
    (dto.payload === undefined ? undefined : storableJsonProblem(dto.payload, 'payload'));
  return problem && ValidationError.field(problem.field, problem.message);
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
    title: dto.title ?? null,
    payload: dto.payload ?? {},
    occurredAt: dto.occurredAt ? toUtcIso(dto.occurredAt) : createdAt,
    createdAt,
  };
}

/**
 * A built message checked with customer-events.v1's own validator, the one the projector reads it with. The
 * body's rules already hold it to the contract; should one ever let through what the contract refuses, the
 * event is refused as the client's field (the message names fields as the body does), never published only to
 * be dead-lettered.
 */
export function contractViolation(message: CustomerEventMessage): ValidationError | undefined {
  try {
    customerEventMessages.check(message);
    return undefined;
  } catch (error) {
    if (error instanceof ContractViolationError) return ValidationError.field(error.path, error.reason);
    throw error;
  }
}
